#include "sinks/finance_alerts_gold.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>

#include "analytics/dataco_fraud_alerts.h"
#include "core/json_writer.h"

namespace ledgerflow::sinks {

namespace {

const TableSpec kFinanceAlerts{"finance_alerts",
                               {"seq", "rule_id", "severity", "score_ppm", "subject", "day",
                                "date_key", "log_offset", "evidence_ids", "message", "standing"},
                               1,
                               TableSpec::OnConflict::kUpdate};

// yyyymmdd of a day number (dim_date's key).
int64_t date_key_of(int64_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days(day)}};
  return int64_t(int(ymd.year())) * 10000 + int64_t(unsigned(ymd.month())) * 100 +
         int64_t(unsigned(ymd.day()));
}

void append(TableRows* rows, TableRows more) {
  rows->cells.insert(rows->cells.end(), std::make_move_iterator(more.cells.begin()),
                     std::make_move_iterator(more.cells.end()));
}

}  // namespace

void FinanceAlertsGold::add_row(const LedgerAlert& a, TableRows* rows) {
  JsonWriter evidence;
  evidence.begin_array();
  for (const std::string& id : a.alert.evidence_ids) evidence.value(id);
  evidence.end_array();
  rows->add(int64_t(a.seq), a.alert.rule_id, std::string(finance::severity_name(a.alert.severity)),
            int64_t(std::llround(a.alert.score * 1e6)), a.subject, a.day, date_key_of(a.day),
            int64_t(a.offset), evidence.take(), a.alert.message, int64_t(a.standing ? 1 : 0));
}

void FinanceAlertsGold::add_ledger_rows(const FinanceLedger& ledger, WarehouseTxn* txn,
                                        TableRows* rows) {
  pending_events_ = ledger.applied_events();
  pending_seq_ = committed_seq_;
  // Nothing applied since the last commit, and no backlog of event alerts left to insert.
  if (!fresh_ && pending_events_ == committed_events_ &&
      ledger.last_alert_seq() <= committed_seq_) {
    return;
  }
  for (const LedgerAlert& a : ledger.alerts_after(committed_seq_, kMaxAlertsPerUpsert)) {
    pending_seq_ = std::max(pending_seq_, a.seq);
    if (!a.standing) add_row(a, rows);
  }
  TableRows standing{&kFinanceAlerts, {}};
  for (const LedgerAlert& a : ledger.standing_alerts()) add_row(a, &standing);
  append(rows, standing_.changed_rows(std::move(standing), txn, GoldRowCache::Missing::kDelete,
                                      "standing = 1 AND seq > 0"));
}

bool FinanceAlertsGold::build(const FinanceLedger& ledger, const std::vector<LedgerAlert>* dataco,
                              WarehouseTxn* txn) {
  standing_.begin();
  dataco_.begin();
  const size_t steps_before = txn->steps.size();
  TableRows rows{&kFinanceAlerts, {}};
  add_ledger_rows(ledger, txn, &rows);
  if (dataco != nullptr) {
    TableRows patterns{&kFinanceAlerts, {}};
    for (LedgerAlert a : *dataco) {
      a.seq = uint64_t(dataco_alert_seq(a));  // read back as the negative int64
      add_row(a, &patterns);
    }
    append(&rows, dataco_.changed_rows(std::move(patterns), txn, GoldRowCache::Missing::kDelete,
                                       "seq < 0"));
  }
  // One step for the table: a backend stages one step's rows per table (postgres_backend.cpp).
  if (rows.rows() > 0) txn->steps.emplace_back(std::move(rows));
  return txn->steps.size() > steps_before;
}

void FinanceAlertsGold::commit() {
  standing_.commit();
  dataco_.commit();
  committed_seq_ = pending_seq_;
  committed_events_ = pending_events_;
  fresh_ = false;
}

void FinanceAlertsGold::reset() {
  standing_.reset();
  dataco_.reset();
  committed_seq_ = pending_seq_ = 0;
  committed_events_ = pending_events_ = 0;
  fresh_ = true;
}

}  // namespace ledgerflow::sinks
