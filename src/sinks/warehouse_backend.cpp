#include "sinks/warehouse_backend.h"

#include <filesystem>

#include <fmt/format.h>

#include "sinks/postgres_backend.h"
#include "sinks/sqlite_backend.h"
#include "sinks/warehouse_schema.h"

namespace ledgerflow::sinks {

Result<WarehouseTarget> parse_warehouse_url(const std::string& url, const std::string& data_dir) {
  WarehouseTarget t;
  if (url.empty()) {
    t.location = (std::filesystem::path(data_dir) / "warehouse.db").string();
    return t;
  }
  if (url.rfind("sqlite:", 0) == 0 && url.size() > 7) {
    t.location = url.substr(7);
    return t;
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    t.kind = WarehouseTarget::Kind::kPostgres;
    t.location = url;
    return t;
  }
  return Status::bad_input(
      "invalid_warehouse",
      "warehouse must be \"sqlite:PATH\" or \"postgresql://USER@HOST:PORT/DB\"");
}

std::string describe(const WarehouseTarget& t) {
  if (t.kind == WarehouseTarget::Kind::kSqlite) return "sqlite:" + t.location;
  // postgresql://user:secret@host/db -> postgresql://user@host/db
  std::string s = t.location;
  size_t scheme = s.find("://") + 3;
  size_t at = s.find('@', scheme);
  size_t colon = s.find(':', scheme);
  if (at != std::string::npos && colon != std::string::npos && colon < at)
    s.erase(colon, at - colon);
  return s;
}

Result<std::unique_ptr<WarehouseBackend>> open_warehouse(const WarehouseTarget& target,
                                                         BackendMode mode) {
  Result<std::unique_ptr<WarehouseBackend>> db = target.kind == WarehouseTarget::Kind::kSqlite
                                                     ? SqliteBackend::open(target.location, mode)
                                                     : PostgresBackend::open(target.location, mode);
  if (!db || mode == BackendMode::kReadOnly) return db;
  if (Status s = migrate(**db); !s) return s;
  if (auto* pg = dynamic_cast<PostgresBackend*>(db->get())) {
    if (Status s = pg->ensure_reader_role(); !s) return s;
  }
  return db;
}

}  // namespace ledgerflow::sinks
