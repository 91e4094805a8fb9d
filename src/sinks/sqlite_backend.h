#pragma once
// The embedded warehouse: one SQLite 3 file in WAL mode (readers never block the writer).
// Writer mode loads each batch in one transaction through prepared statements cached per table
// (INSERT ... ON CONFLICT, the same syntax as PostgreSQL). Read-only mode opens the file with
// SQLITE_OPEN_READONLY and PRAGMA query_only, forbids ATTACH (limit 0 and the authorizer),
// allows only reading pragmas, and stops a query past its time limit (progress handler).
//
// Owned by the WarehouseWriter (writer mode) or by one query (read-only); one thread at a time.
#include <map>
#include <string>

#include "sinks/warehouse_backend.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ledgerflow::sinks {

class SqliteBackend final : public WarehouseBackend {
 public:
  static Result<std::unique_ptr<WarehouseBackend>> open(const std::string& path, BackendMode mode);
  ~SqliteBackend() override;
  SqliteBackend(const SqliteBackend&) = delete;
  SqliteBackend& operator=(const SqliteBackend&) = delete;

  std::string_view kind() const override { return "sqlite"; }
  Status exec(const std::string& sql) override;
  Result<int64_t> query_int(const std::string& sql) override;
  Status apply(const WarehouseTxn& txn) override;
  Result<QueryResult> query(const std::string& sql, const QueryLimits& limits) override;

 private:
  SqliteBackend(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status error(const std::string& what) const;
  Result<sqlite3_stmt*> insert_statement(const TableSpec& spec);
  Status insert_rows(const TableRows& rows);

  sqlite3* db_;
  std::string path_;
  std::map<const TableSpec*, sqlite3_stmt*> inserts_;  // per table spec, prepared once
  int64_t deadline_ns_ = 0;                            // read-only queries: stop past this
};

// INSERT INTO t (cols) VALUES (<placeholders>) ON CONFLICT (keys) DO NOTHING | DO UPDATE SET ...
// `placeholder(i)` gives the i-th (0-based) parameter marker, or a source column for
// INSERT ... SELECT. Shared by both backends.
std::string insert_sql(const TableSpec& spec, const std::string& values_clause);

}  // namespace ledgerflow::sinks
