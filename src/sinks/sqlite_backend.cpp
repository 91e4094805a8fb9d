#include "sinks/sqlite_backend.h"

#include <sqlite3.h>

#include <cstring>
#include <set>

#include <fmt/format.h>

#include "core/event_time.h"

namespace ledgerflow::sinks {

namespace {

// Pragmas that only read; every other pragma (and every pragma assignment) is refused in
// read-only mode by the authorizer.
const std::set<std::string> kReadingPragmas = {"table_info", "table_xinfo", "index_list",
                                               "index_info", "index_xinfo", "foreign_key_list",
                                               "table_list"};

int authorize(void*, int action, const char* pragma, const char*, const char*, const char*) {
  if (action == SQLITE_ATTACH || action == SQLITE_DETACH) return SQLITE_DENY;
  if (action == SQLITE_PRAGMA) {
    // Allowed by name only: a listed pragma reads whatever its argument is.
    bool reading = pragma != nullptr && kReadingPragmas.count(pragma) > 0;
    return reading ? SQLITE_OK : SQLITE_DENY;
  }
  return SQLITE_OK;
}

int past_deadline(void* self) {
  return monotonic_ns() > *static_cast<int64_t*>(self) ? 1 : 0;
}

bool is_numeric_type(int t) {
  return t == SQLITE_INTEGER || t == SQLITE_FLOAT;
}

}  // namespace

std::string insert_sql(const TableSpec& spec, const std::string& values_clause) {
  std::string cols, keys, updates;
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    cols += (i ? ", " : "") + spec.columns[i];
    if (i < spec.key_columns) {
      keys += (i ? ", " : "") + spec.columns[i];
    } else {
      updates += fmt::format("{}{} = excluded.{}", updates.empty() ? "" : ", ", spec.columns[i],
                             spec.columns[i]);
    }
  }
  bool update = spec.on_conflict == TableSpec::OnConflict::kUpdate && !updates.empty();
  if (spec.key_columns == 0)
    return fmt::format("INSERT INTO {} ({}) {}", spec.name, cols, values_clause);
  return fmt::format("INSERT INTO {} ({}) {} ON CONFLICT ({}) DO {}", spec.name, cols,
                     values_clause, keys,
                     update ? "UPDATE SET " + updates : std::string("NOTHING"));
}

Result<std::unique_ptr<WarehouseBackend>> SqliteBackend::open(const std::string& path,
                                                              BackendMode mode) {
  sqlite3* db = nullptr;
  int flags = mode == BackendMode::kWriter ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                           : SQLITE_OPEN_READONLY;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::retriable("warehouse_unavailable", fmt::format("sqlite {}: {}", path, msg));
  }
  std::unique_ptr<SqliteBackend> b(new SqliteBackend(db, path));
  sqlite3_busy_timeout(db, 5000);
  if (mode == BackendMode::kWriter) {
    // WAL: readers (queries, verify, BI tools) never block the loader. synchronous=NORMAL may
    // lose the last commits on power loss, never a process crash; the load_state offset rolls
    // back with its rows, so the writer reloads them from the log.
    // A 64 MiB page cache keeps the fact tables' key indexes in memory (with the default 2 MB
    // inserts re-read index pages from the OS), and a 64 MiB WAL before each checkpoint copies
    // a page rewritten by many batches back into the database once (the default 4 MB did it
    // for nearly every batch). docs/BENCHMARKS.md has the figures.
    if (Status s = b->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA "
                           "cache_size=-65536; PRAGMA wal_autocheckpoint=16384");
        !s) {
      return s;
    }
  } else {
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    if (Status s = b->exec("PRAGMA query_only=1"); !s) return s;
    sqlite3_set_authorizer(db, authorize, nullptr);
    sqlite3_progress_handler(db, 1000, past_deadline, &b->deadline_ns_);
  }
  return std::unique_ptr<WarehouseBackend>(std::move(b));
}

SqliteBackend::~SqliteBackend() {
  for (auto& [name, stmt] : inserts_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status SqliteBackend::error(const std::string& what) const {
  int code = sqlite3_errcode(db_);
  std::string msg = fmt::format("{}: {}", what, sqlite3_errmsg(db_));
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_IOERR || code == SQLITE_FULL ||
      code == SQLITE_CANTOPEN) {
    return Status::retriable("warehouse_unavailable", msg);
  }
  return Status::bad_input("sql_error", msg);
}

Status SqliteBackend::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return Status::ok();
  sqlite3_free(err);
  return error("exec");
}

Result<int64_t> SqliteBackend::query_int(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), int(sql.size()), &stmt, nullptr) != SQLITE_OK)
    return error("prepare");
  int rc = sqlite3_step(stmt);
  int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_DONE ? Status::bad_input("sql_error", "no row: " + sql) : error("step");
  return v;
}

Result<sqlite3_stmt*> SqliteBackend::insert_statement(const TableSpec& spec) {
  auto it = inserts_.find(&spec);
  if (it != inserts_.end()) return it->second;
  std::string values = "VALUES (";
  for (size_t i = 0; i < spec.columns.size(); ++i) values += i ? ", ?" : "?";
  std::string sql = insert_sql(spec, values + ")");
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK) {
    return error("prepare " + spec.name);
  }
  inserts_[&spec] = stmt;
  return stmt;
}

Status SqliteBackend::insert_rows(const TableRows& rows) {
  Result<sqlite3_stmt*> prepared = insert_statement(*rows.spec);
  if (!prepared) return prepared.status();
  sqlite3_stmt* stmt = *prepared;
  const size_t width = rows.spec->columns.size();
  for (size_t r = 0; r < rows.rows(); ++r) {
    for (size_t c = 0; c < width; ++c) {
      const SqlValue& v = rows.cells[r * width + c];
      int param = int(c + 1);
      if (const int64_t* i = std::get_if<int64_t>(&v)) {
        sqlite3_bind_int64(stmt, param, *i);
      } else if (const std::string* s = std::get_if<std::string>(&v)) {
        sqlite3_bind_text(stmt, param, s->data(), int(s->size()), SQLITE_STATIC);
      } else {
        sqlite3_bind_null(stmt, param);
      }
    }
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return error("insert into " + rows.spec->name);
  }
  return Status::ok();
}

Status SqliteBackend::apply(const WarehouseTxn& txn) {
  if (Status s = exec("BEGIN IMMEDIATE"); !s) return s;
  for (const auto& step : txn.steps) {
    const TableRows* rows = std::get_if<TableRows>(&step);
    Status s = rows ? insert_rows(*rows) : exec(std::get<std::string>(step));
    if (!s) {
      (void)exec("ROLLBACK");
      return s;
    }
  }
  return exec("COMMIT");
}

Result<QueryResult> SqliteBackend::query(const std::string& sql, const QueryLimits& limits) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), int(sql.size()), &stmt, &tail) != SQLITE_OK) {
    return Status::bad_input("sql_error", sqlite3_errmsg(db_));
  }
  if (stmt == nullptr) return Status::bad_input("empty_query", "no SQL statement");
  // Anything after the first statement other than blanks and comments is a second statement.
  sqlite3_stmt* next = nullptr;
  int rc = sqlite3_prepare_v2(db_, tail, -1, &next, nullptr);
  sqlite3_finalize(next);
  if (rc != SQLITE_OK || next != nullptr) {
    sqlite3_finalize(stmt);
    return Status::bad_input("multiple_statements", "send exactly one SQL statement");
  }
  QueryResult out;
  const int ncols = sqlite3_column_count(stmt);
  for (int c = 0; c < ncols; ++c) out.columns.emplace_back(sqlite3_column_name(stmt, c));
  out.numeric.assign(size_t(ncols), true);
  deadline_ns_ = monotonic_ns() + limits.timeout_ms * 1'000'000;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (out.rows.size() >= limits.max_rows) {
      out.truncated = true;
      break;
    }
    auto& row = out.rows.emplace_back(size_t(ncols));
    for (int c = 0; c < ncols; ++c) {
      int type = sqlite3_column_type(stmt, c);
      if (type == SQLITE_NULL) continue;
      if (!is_numeric_type(type)) out.numeric[size_t(c)] = false;
      const unsigned char* text = sqlite3_column_text(stmt, c);
      row[size_t(c)] =
          std::string(reinterpret_cast<const char*>(text), size_t(sqlite3_column_bytes(stmt, c)));
    }
  }
  Status s = Status::ok();
  if (rc == SQLITE_INTERRUPT) {
    s = Status::bad_input("query_timeout",
                          fmt::format("the query ran past {} ms", limits.timeout_ms));
  } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    s = Status::bad_input("sql_error", sqlite3_errmsg(db_));
  }
  sqlite3_finalize(stmt);
  if (!s) return s;
  return out;
}

}  // namespace ledgerflow::sinks
