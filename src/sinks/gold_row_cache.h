#pragma once
// The rows of gold tables as the last committed upsert wrote them, so that an upsert writes only
// what changed: given a table's full contents as they should be now, add_changed() appends the
// rows that differ (ON CONFLICT DO UPDATE) and, for tables whose keys can go away, deletes the
// keys no longer there. The cache only moves when the caller says the transaction committed.
//
// Owned by one gold builder (DatacoGold, FinanceGold, FinanceAlertsGold) on the WarehouseWriter
// thread.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sinks/warehouse_backend.h"

namespace ledgerflow::sinks {

class GoldRowCache {
 public:
  enum class Missing { kKeep, kDelete };

  // Starts an upsert: forgets what an uncommitted one had pending (it failed; its rows come
  // again in this one).
  void begin();
  // The rows of `full` (one whole table) that differ from what is committed, to upsert.
  // Missing::kDelete: `full` is all the table holds (or, with `scope`, a SQL condition, all
  // the rows it selects): a DELETE per committed key absent from `full` is appended to `txn`;
  // before this cache has committed the table (a new session, whose database may hold rows
  // that have gone meanwhile) the whole table (or scope) is deleted first instead. Remembers
  // both as pending.
  TableRows changed_rows(TableRows full, WarehouseTxn* txn, Missing missing = Missing::kKeep,
                         const std::string& scope = "");
  // changed_rows() appended to `txn` as one step (none when nothing changed).
  void add_changed(TableRows full, WarehouseTxn* txn, Missing missing = Missing::kKeep);
  // A version of the source the rows are built from (FinanceLedger::applied_events, say): true
  // when it differs from the version behind the committed rows, so a builder can skip walking
  // an idle source. Remembered as pending, like the rows.
  bool source_moved(uint64_t version) {
    pending_source_ = version;
    return pending_source_ != committed_source_;
  }
  // The transaction with the pending rows committed.
  void commit();
  // Forget everything (a new session may face another database).
  void reset() {
    tables_.clear();
    committed_source_ = kNoSource;
  }

  // A SQL literal for a key value: the integer, or the text quoted (quotes doubled). A NUL
  // character, which a statement cannot carry, becomes U+FFFD as PostgreSQL stores it.
  static std::string literal(const SqlValue& v);

 private:
  using Row = std::vector<SqlValue>;
  struct TableCache {
    std::map<Row, Row> committed;  // key cells -> the whole row, as last committed
    std::vector<std::pair<Row, Row>> pending;
    std::vector<Row> pending_deletes;
    bool known = false;      // committed once: the database holds exactly `committed`
    bool in_upsert = false;  // built in the upsert under way
  };

  std::map<std::string, TableCache> tables_;  // by table name
  static constexpr uint64_t kNoSource = UINT64_MAX;
  uint64_t committed_source_ = kNoSource;
  uint64_t pending_source_ = kNoSource;
};

}  // namespace ledgerflow::sinks
