#include "sinks/finance_gold.h"

#include <cmath>

namespace ledgerflow::sinks {

namespace {

using OnConflict = TableSpec::OnConflict;

const TableSpec kAging{
    "finance_payables_aging",
    {"supplier_id", "as_of_day", "current_micros", "current_count", "past_due_1_30_micros",
     "past_due_1_30_count", "past_due_31_60_micros", "past_due_31_60_count",
     "past_due_61_90_micros", "past_due_61_90_count", "past_due_over_90_micros",
     "past_due_over_90_count", "total_micros", "open_invoices"},
    1,
    OnConflict::kUpdate};
const TableSpec kReceivablesAging{
    "finance_receivables_aging",
    {"customer_id", "as_of_day", "current_micros", "current_count", "past_due_1_30_micros",
     "past_due_1_30_count", "past_due_31_60_micros", "past_due_31_60_count",
     "past_due_61_90_micros", "past_due_61_90_count", "past_due_over_90_micros",
     "past_due_over_90_count", "total_micros", "open_invoices"},
    1,
    OnConflict::kUpdate};
// One row per counterparty: id, as-of day, amount and count per bucket, total, open count.
void add_aging_rows(const finance::AgingReport& report, int64_t as_of, TableRows* rows) {
  for (const auto& [id, b] : report.by_counterparty) {
    rows->add(id, as_of);
    int64_t open = 0;
    for (int k = 0; k < finance::kAgingBuckets; ++k) {
      rows->add(b.amount[size_t(k)].micros(), b.count[size_t(k)]);
      open += b.count[size_t(k)];
    }
    rows->add(b.total.micros(), open);
  }
}
const TableSpec kDelays{"finance_payment_delays",
                        {"supplier_id", "settled_invoices", "delay_days_sum", "p90_delay_days"},
                        1,
                        OnConflict::kUpdate};
const TableSpec kCash{
    "finance_cash_required",
    {"supplier_id", "as_of_day", "due_7_micros", "due_30_micros", "due_90_micros", "overdue_micros",
     "ordered_not_invoiced_micros", "invoiced_not_paid_micros", "open_commitments_micros"},
    1,
    OnConflict::kUpdate};

}  // namespace

bool FinanceGold::build(const FinanceLedger& ledger, WarehouseTxn* txn) {
  cache_.begin();
  pending_events_ = ledger.applied_events();
  if (pending_events_ == committed_events_) return false;
  const size_t steps_before = txn->steps.size();
  TableRows aging{&kAging, {}};
  TableRows receivables{&kReceivablesAging, {}};
  TableRows delays{&kDelays, {}};
  TableRows cash{&kCash, {}};
  // No finance event yet: no clock, and every table is empty (as its SQL over silver).
  if (std::optional<int64_t> clock = ledger.latest_day()) {
    const int64_t as_of = *clock;
    add_aging_rows(ledger.payables_aging(as_of), as_of, &aging);
    add_aging_rows(ledger.receivables_aging(as_of), as_of, &receivables);
    for (const auto& [supplier, d] : ledger.payment_delays()) {
      // DelayStats keeps the mean; delays are whole days far below 2^50 in sum, so mean x count
      // rounds back to the exact sum.
      delays.add(supplier, d.count, int64_t(std::llround(d.mean_days * double(d.count))),
                 d.p90_days);
    }
    for (const auto& [supplier, f] : ledger.cash(as_of).by_supplier) {
      cash.add(supplier, as_of);
      for (const Money& due : f.due) cash.add(due.micros());
      cash.add(f.overdue.micros(), f.ordered_not_invoiced.micros(), f.invoiced_not_paid.micros(),
               f.open_commitments().micros());
    }
  }
  for (TableRows* t : {&aging, &receivables, &delays, &cash}) {
    cache_.add_changed(std::move(*t), txn, GoldRowCache::Missing::kDelete);
  }
  return txn->steps.size() > steps_before;
}

}  // namespace ledgerflow::sinks
