#include "sinks/postgres_backend.h"

#include <libpq-fe.h>

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "sinks/sqlite_backend.h"

namespace ledgerflow::sinks {

namespace {

constexpr const char* kReaderRole = "ledgerflow_reader";

// Owns a PGresult.
struct PgResult {
  PGresult* r;
  explicit PgResult(PGresult* res) : r(res) {}
  ~PgResult() { PQclear(r); }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ExecStatusType status() const { return PQresultStatus(r); }
};

// COPY binary format (PostgreSQL docs, "COPY ... Binary Format"): big-endian integers; a
// tuple is an int16 field count then, per field, an int32 byte length (-1 for NULL) and the
// bytes. Every loaded column is BIGINT (int8, 8 bytes) or TEXT (UTF-8 bytes). Binary spares the
// server the text parsing (about 20% of a keyed COPY here) and the client the formatting.
constexpr char kCopyHeader[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";  // signature, flags, extension
constexpr size_t kCopyHeaderBytes = 19;

template <typename T>
void put_be(T v, std::string* out) {
  for (int shift = int(sizeof(T) * 8) - 8; shift >= 0; shift -= 8)
    *out += char((uint64_t(v) >> shift) & 0xff);
}

// PostgreSQL text cannot hold a NUL character (JSON allows "\u0000"): it becomes U+FFFD, the
// replacement character, so that such an event cannot stop the loader (docs/WAREHOUSE.md).
void put_text(const std::string& s, std::string* out) {
  if (s.find('\0') == std::string::npos) {
    put_be(int32_t(s.size()), out);
    *out += s;
    return;
  }
  std::string clean;
  for (char c : s) clean += c == '\0' ? std::string("\xEF\xBF\xBD") : std::string(1, c);
  put_text(clean, out);
}

void append_copy_value(const SqlValue& v, std::string* out) {
  if (const int64_t* i = std::get_if<int64_t>(&v)) {
    put_be(int32_t(8), out);
    put_be(*i, out);
  } else if (const std::string* s = std::get_if<std::string>(&v)) {
    put_text(*s, out);
  } else {
    put_be(int32_t(-1), out);
  }
}

std::string column_list(const TableSpec& spec) {
  std::string cols;
  for (size_t i = 0; i < spec.columns.size(); ++i) cols += (i ? ", " : "") + spec.columns[i];
  return cols;
}

bool is_numeric_oid(Oid t) {
  // int8, int2, int4, float4, float8, numeric, oid (pg_type.h)
  return t == 20 || t == 21 || t == 23 || t == 700 || t == 701 || t == 1700 || t == 26;
}

}  // namespace

Result<std::unique_ptr<WarehouseBackend>> PostgresBackend::open(const std::string& url,
                                                                BackendMode mode) {
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* values[] = {url.c_str(), "5",
                          mode == BackendMode::kWriter ? "ledgerflow-writer" : "ledgerflow-query",
                          nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Status::retriable("warehouse_unavailable", "postgresql: " + msg);
  }
  std::unique_ptr<PostgresBackend> b(new PostgresBackend(conn));
  // Quiet notices ("relation already exists, skipping") instead of printing them to stderr.
  if (Status s = b->exec("SET client_min_messages = warning"); !s) return s;
  // The writer's commits need not wait for PostgreSQL's WAL flush: a server crash may lose the
  // last few commits, but load_state goes back with its rows and the writer reloads them from
  // the bronze log, which is the durable copy. Exactly-once holds either way.
  if (mode == BackendMode::kWriter) {
    if (Status s = b->exec("SET synchronous_commit = off"); !s) return s;
  }
  return std::unique_ptr<WarehouseBackend>(std::move(b));
}

PostgresBackend::~PostgresBackend() {
  PQfinish(conn_);
}

Status PostgresBackend::connection_error(const std::string& what) const {
  std::string msg = PQerrorMessage(conn_);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Status::retriable("warehouse_unavailable", fmt::format("{}: {}", what, msg));
  }
  return Status::bad_input("sql_error", fmt::format("{}: {}", what, msg));
}

Status PostgresBackend::exec(const std::string& sql) {
  PgResult res(PQexec(conn_, sql.c_str()));
  if (res.status() == PGRES_COMMAND_OK || res.status() == PGRES_TUPLES_OK) return Status::ok();
  return connection_error("exec");
}

Result<int64_t> PostgresBackend::query_int(const std::string& sql) {
  PgResult res(PQexec(conn_, sql.c_str()));
  if (res.status() != PGRES_TUPLES_OK) return connection_error("query");
  if (PQntuples(res.r) < 1) return Status::bad_input("sql_error", "no row: " + sql);
  return int64_t(std::strtoll(PQgetvalue(res.r, 0, 0), nullptr, 10));
}

Status PostgresBackend::copy_into(const std::string& table, const TableRows& rows,
                                  const std::string& before) {
  const TableSpec& spec = *rows.spec;
  {
    PgResult res(PQexec(conn_, fmt::format("{}COPY {} ({}) FROM STDIN WITH (FORMAT binary)", before,
                                           table, column_list(spec))
                                   .c_str()));
    if (res.status() != PGRES_COPY_IN) return connection_error("copy " + spec.name);
  }
  std::string buf(kCopyHeader, kCopyHeaderBytes);
  const size_t width = spec.columns.size();
  for (size_t r = 0; r < rows.rows(); ++r) {
    put_be(int16_t(width), &buf);
    for (size_t c = 0; c < width; ++c) append_copy_value(rows.cells[r * width + c], &buf);
    if (r + 1 == rows.rows()) put_be(int16_t(-1), &buf);  // the trailer
    if (buf.size() >= (1u << 20) || r + 1 == rows.rows()) {
      if (PQputCopyData(conn_, buf.data(), int(buf.size())) != 1)
        return connection_error("copy data");
      buf.clear();
    }
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) return connection_error("copy end");
  PgResult res(PQgetResult(conn_));
  while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
  if (res.status() == PGRES_COMMAND_OK) return Status::ok();
  const char* state = PQresultErrorField(res.r, PG_DIAG_SQLSTATE);
  if (state != nullptr && std::string(state) == "23505") {
    return Status::bad_input("unique_violation", PQresultErrorMessage(res.r));
  }
  return connection_error("copy " + spec.name);
}

Status PostgresBackend::stage_rows(const TableRows& rows, std::string* statements) {
  const TableSpec& spec = *rows.spec;
  const std::string stage = "stage_" + spec.name;
  if (!staged_.count(stage)) {
    // Session-local and emptied at each commit; created inside the batch's transaction, so it is
    // forgotten again if that transaction rolls back (apply clears staged_ then).
    Status s = exec(fmt::format(
        "CREATE TEMP TABLE IF NOT EXISTS {} (LIKE {}) ON COMMIT DELETE ROWS", stage, spec.name));
    if (!s) return s;
    staged_.insert(stage);
  }
  if (Status s = copy_into(stage, rows, ""); !s) return s;
  std::string select = fmt::format("SELECT {} FROM {}", column_list(spec), stage);
  // Log order decides which of two rows with one key is kept (the first, as the engine does).
  if (std::find(spec.columns.begin(), spec.columns.end(), std::string("log_offset")) !=
      spec.columns.end()) {
    select += " ORDER BY log_offset";
  }
  *statements += insert_sql(spec, select) + ";\n";
  return Status::ok();
}

// Rows that are new facts go by COPY straight into their table under a savepoint: the fast
// path (a retried line is rare). A key already present aborts that COPY; the savepoint undoes
// it and the rows go the general way: COPY into a staging table, then INSERT ... SELECT ...
// ON CONFLICT. Those statements and the plain steps go, in step order, in one round trip with
// the COMMIT.
Status PostgresBackend::apply_steps(const WarehouseTxn& txn) {
  std::string statements;
  std::set<const TableSpec*> copied;
  for (const auto& step : txn.steps) {
    const TableRows* rows = std::get_if<TableRows>(&step);
    if (rows == nullptr) {
      statements += std::get<std::string>(step) + ";\n";
      continue;
    }
    if (rows->rows() == 0) continue;
    LF_ASSERT(copied.insert(rows->spec).second);  // one staging table holds one step's rows
    if (rows->spec->on_conflict == TableSpec::OnConflict::kIgnore && statements.empty()) {
      Status direct = copy_into(rows->spec->name, *rows, "SAVEPOINT lf_direct; ");
      if (direct) continue;
      if (direct.code() != "unique_violation") return direct;
      if (Status s = exec("ROLLBACK TO SAVEPOINT lf_direct"); !s) return s;
    }
    if (Status s = stage_rows(*rows, &statements); !s) return s;
  }
  return exec(statements + "COMMIT");
}

Status PostgresBackend::apply(const WarehouseTxn& txn) {
  if (Status s = exec("BEGIN"); !s) return s;
  Status s = apply_steps(txn);
  if (!s) {
    (void)exec("ROLLBACK");
    staged_.clear();
  }
  return s;
}

Status PostgresBackend::ensure_reader_role() {
  // Best effort: a role without CREATEROLE keeps its own rights for queries (documented).
  std::string sql = fmt::format(
      "DO $$ BEGIN "
      "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{0}') THEN CREATE ROLE {0} NOLOGIN; "
      "END IF; "
      "EXECUTE format('GRANT {0} TO %I', current_user); "
      "EXECUTE format('GRANT USAGE ON SCHEMA %I TO {0}', current_schema()); "
      "EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO {0}', current_schema()); "
      "EXCEPTION WHEN insufficient_privilege THEN NULL; END $$",
      kReaderRole);
  return exec(sql);
}

Result<QueryResult> PostgresBackend::query(const std::string& sql, const QueryLimits& limits) {
  Status s =
      exec(fmt::format("BEGIN READ ONLY; SET LOCAL statement_timeout = {}", limits.timeout_ms));
  if (!s) return s;
  // Drop to the SELECT-only role if it exists and we may: no COPY TO PROGRAM, no server files.
  (void)exec(
      fmt::format("DO $$ BEGIN IF pg_has_role('{0}', 'MEMBER') THEN SET LOCAL ROLE {0}; END IF; "
                  "EXCEPTION WHEN undefined_object THEN NULL; END $$",
                  kReaderRole));
  // PQsendQueryParams refuses more than one statement; single-row mode keeps memory at the row
  // limit: past it the rest of the statement is cancelled.
  if (PQsendQueryParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
    Status failed = Status::bad_input("sql_error", PQerrorMessage(conn_));
    (void)exec("ROLLBACK");
    return failed;
  }
  PQsetSingleRowMode(conn_);
  QueryResult out;
  Status failed = Status::ok();
  bool cancelled = false;
  while (PGresult* raw = PQgetResult(conn_)) {
    PgResult res(raw);
    ExecStatusType st = res.status();
    if (st == PGRES_COPY_OUT || st == PGRES_COPY_IN) {
      // The connection stays in COPY mode; it is closed with this per-query backend.
      return Status::bad_input("sql_error", "COPY is not allowed");
    }
    if (st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK) {
      if (out.columns.empty()) describe_columns(res.r, &out);
      if (st == PGRES_SINGLE_TUPLE && !cancelled)
        cancelled = !add_row(res.r, limits.max_rows, &out);
      if (cancelled && st == PGRES_SINGLE_TUPLE && !out.truncated) out.truncated = true;
      if (cancelled && !cancel_sent_) cancel_sent_ = cancel();
      continue;
    }
    if (!cancelled && failed) failed = result_error(res.r, st);
  }
  cancel_sent_ = false;
  (void)exec("ROLLBACK");
  if (!failed) return PQstatus(conn_) != CONNECTION_OK ? connection_error("query") : failed;
  return out;
}

void PostgresBackend::describe_columns(const pg_result* res, QueryResult* out) {
  const int ncols = PQnfields(res);
  for (int c = 0; c < ncols; ++c) {
    out->columns.emplace_back(PQfname(res, c));
    out->numeric.push_back(is_numeric_oid(PQftype(res, c)));
  }
}

bool PostgresBackend::add_row(const pg_result* res, size_t max_rows, QueryResult* out) {
  if (out->rows.size() >= max_rows) return false;
  const int ncols = PQnfields(res);
  auto& row = out->rows.emplace_back(size_t(ncols));
  for (int c = 0; c < ncols; ++c) {
    if (!PQgetisnull(res, 0, c))
      row[size_t(c)] = std::string(PQgetvalue(res, 0, c), size_t(PQgetlength(res, 0, c)));
  }
  return true;
}

bool PostgresBackend::cancel() {
  PGcancel* c = PQgetCancel(conn_);
  if (c == nullptr) return false;
  char err[256];
  PQcancel(c, err, sizeof err);
  PQfreeCancel(c);
  return true;
}

Status PostgresBackend::result_error(const pg_result* res, int status) {
  std::string msg =
      status == PGRES_COMMAND_OK ? "the statement returned no rows" : PQresultErrorMessage(res);
  while (!msg.empty() && msg.back() == '\n') msg.pop_back();
  const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  bool timeout = state != nullptr && std::string(state) == "57014";
  return Status::bad_input(timeout ? "query_timeout" : "sql_error", msg);
}

}  // namespace ledgerflow::sinks
