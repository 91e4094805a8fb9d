#pragma once
// What the warehouse needs from a database, implemented by SqliteBackend and PostgresBackend.
// A backend is one connection, used by one thread at a time:
//   - the writer's (WarehouseWriter thread) migrates the schema and applies each micro-batch
//     as one transaction (WarehouseTxn), including the load_state offset;
//   - a read-only one (opened per `ledgerflow query`/`verify` run or per POST /api/v1/query)
//     runs one SELECT at a time, read-only as enforced by the database itself.
// Owned by whoever opened it (open_warehouse).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"
#include "sinks/query_result.h"

namespace ledgerflow::sinks {

using SqlValue = std::variant<std::monostate, int64_t, std::string>;  // NULL, integer, text

// A table the loader writes: the first `key_columns` columns are its primary key (0: no key,
// plain inserts).
struct TableSpec {
  enum class OnConflict { kIgnore, kUpdate };
  std::string name;
  std::vector<std::string> columns;
  size_t key_columns = 1;
  OnConflict on_conflict = OnConflict::kIgnore;
};

// Rows for one table, row-major (`cells.size()` is a multiple of the column count).
struct TableRows {
  const TableSpec* spec = nullptr;
  std::vector<SqlValue> cells;
  size_t rows() const { return spec->columns.empty() ? 0 : cells.size() / spec->columns.size(); }
  // Appends cells in place (an initializer list would copy every string twice).
  template <typename... T>
  void add(T&&... values) {
    (cells.emplace_back(std::forward<T>(values)), ...);
  }
};

// One transaction: steps run in order (rows are inserted with the table's conflict rule; a
// string is a statement the same SQL on every backend). All or nothing.
struct WarehouseTxn {
  std::vector<std::variant<TableRows, std::string>> steps;
  size_t rows() const;
};

enum class BackendMode { kWriter, kReadOnly };

class WarehouseBackend {
 public:
  virtual ~WarehouseBackend() = default;
  virtual std::string_view kind() const = 0;  // "sqlite" or "postgresql"

  // Writer mode. Runs a script of one or more statements (no result).
  virtual Status exec(const std::string& sql) = 0;
  // Writer mode. The first column of the first row of a query, as an integer.
  virtual Result<int64_t> query_int(const std::string& sql) = 0;
  // Writer mode. Applies the steps in one transaction; rolls back on any error.
  virtual Status apply(const WarehouseTxn& txn) = 0;

  // Read-only mode. One statement; several (`SELECT 1; DROP TABLE x`) are refused.
  virtual Result<QueryResult> query(const std::string& sql, const QueryLimits& limits) = 0;
};

// Where the warehouse lives: "sqlite:PATH" or "postgresql://USER@HOST:PORT/DB" (libpq URL;
// the password from PGPASSWORD or a libpq service/password file). Empty = the default, a
// SQLite file `warehouse.db` inside the data directory.
struct WarehouseTarget {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string location;  // SQLite file path, or the libpq connection URL
};
Result<WarehouseTarget> parse_warehouse_url(const std::string& url, const std::string& data_dir);
// A redacted form for logs and status (no password).
std::string describe(const WarehouseTarget& target);

// Connects (and, in writer mode, applies pending migrations). Retriable when the database is
// unreachable, bad input for a malformed target.
Result<std::unique_ptr<WarehouseBackend>> open_warehouse(const WarehouseTarget& target,
                                                         BackendMode mode);

}  // namespace ledgerflow::sinks
