#pragma once
// The production warehouse: PostgreSQL through libpq. Writer mode loads new fact rows with
// COPY FROM STDIN straight into their table (under a savepoint), and rows that may meet an
// existing key (a retried line, gold upserts) by COPY into a session-local staging table then
// INSERT ... SELECT ... ON CONFLICT, all in the batch's transaction. Read-only mode runs each query
// in a READ ONLY transaction with a statement timeout, as the NOLOGIN role `ledgerflow_reader`
// (SELECT only) when the connecting role could create it, through PQexecParams, which refuses
// more than one statement.
//
// Owned by the WarehouseWriter (writer mode) or by one query (read-only); one thread at a time.
#include <set>
#include <string>

#include "sinks/warehouse_backend.h"

struct pg_conn;
struct pg_result;

namespace ledgerflow::sinks {

class PostgresBackend final : public WarehouseBackend {
 public:
  static Result<std::unique_ptr<WarehouseBackend>> open(const std::string& url, BackendMode mode);
  ~PostgresBackend() override;
  PostgresBackend(const PostgresBackend&) = delete;
  PostgresBackend& operator=(const PostgresBackend&) = delete;

  std::string_view kind() const override { return "postgresql"; }
  Status exec(const std::string& sql) override;
  Result<int64_t> query_int(const std::string& sql) override;
  Status apply(const WarehouseTxn& txn) override;
  Result<QueryResult> query(const std::string& sql, const QueryLimits& limits) override;

  // Writer mode, after migrations: the SELECT-only role used by read-only queries.
  Status ensure_reader_role();

 private:
  explicit PostgresBackend(pg_conn* conn) : conn_(conn) {}
  Status connection_error(const std::string& what) const;
  // COPY of the rows into `table` (after the statements in `before`, same round trip).
  Status copy_into(const std::string& table, const TableRows& rows, const std::string& before);
  // COPY into the staging table, and the INSERT ... SELECT ... ON CONFLICT for `statements`.
  Status stage_rows(const TableRows& rows, std::string* statements);
  Status apply_steps(const WarehouseTxn& txn);
  // Read-only queries, row by row.
  static void describe_columns(const pg_result* res, QueryResult* out);
  // Appends the single row of `res`; false (nothing added) once the limit is reached.
  static bool add_row(const pg_result* res, size_t max_rows, QueryResult* out);
  static Status result_error(const pg_result* res, int status);
  bool cancel();

  pg_conn* conn_;
  std::set<std::string> staged_;  // staging tables created in this session
  bool cancel_sent_ = false;      // the running query was cancelled at the row limit
};

}  // namespace ledgerflow::sinks
