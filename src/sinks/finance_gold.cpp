#include "sinks/finance_gold.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace ledgerflow::sinks {

namespace {

using OnConflict = TableSpec::OnConflict;

// The aging tables: the counterparty, then as-of day, amount and count per bucket, total and
// the number of open invoices.
TableSpec aging_spec(std::string table, std::string id_column) {
  return {std::move(table),
          {std::move(id_column), "as_of_day", "current_micros", "current_count",
           "past_due_1_30_micros", "past_due_1_30_count", "past_due_31_60_micros",
           "past_due_31_60_count", "past_due_61_90_micros", "past_due_61_90_count",
           "past_due_over_90_micros", "past_due_over_90_count", "total_micros", "open_invoices"},
          1,
          OnConflict::kUpdate};
}
const TableSpec kAging = aging_spec("finance_payables_aging", "supplier_id");
const TableSpec kReceivablesAging = aging_spec("finance_receivables_aging", "customer_id");
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

const TableSpec kEarlyPayments{
    "finance_early_payments",
    {"invoice_id", "supplier_id", "as_of_day", "amount_micros", "discount_micros", "pay_now_micros",
     "discount_deadline_day", "due_day", "days_gained", "discount_ppm", "simple_return_num",
     "simple_return_den", "simple_return_ppm", "compound_return_ppm", "return_rank"},
    1,
    OnConflict::kUpdate};

// The simple return d / (1 - d) x 365 / days as an exact fraction: the same integers SQL
// computes, so the rank and the ppm figure never depend on floating-point rounding. Parsed terms
// keep ppm < 500'000 and days <= 3650: both parts, and their cross products, stay in int64.
struct SimpleReturn {
  int64_t num = 0;
  int64_t den = 1;
  explicit SimpleReturn(const finance::EarlyPaymentOpportunity& o)
      : num(o.discount_ppm * finance::kDaysPerYear),
        den((finance::PaymentTerms::kRateScale - o.discount_ppm) * o.days_gained) {}
  int64_t ppm() const { return (2 * num * finance::PaymentTerms::kRateScale + den) / (2 * den); }
  // -1, 0, 1 as this return is smaller than, equal to or larger than `other`.
  int compare(const SimpleReturn& other) const {
    const int64_t a = num * other.den, b = other.num * den;
    return a < b ? -1 : (a > b ? 1 : 0);
  }
};

// One row per opportunity; rank 1 + the number strictly better by (simple return, discount),
// so equal opportunities share a rank whatever order their ids collate in (as in SQL).
void add_early_payment_rows(const std::vector<finance::EarlyPaymentOpportunity>& opportunities,
                            int64_t as_of, TableRows* rows) {
  std::vector<std::pair<SimpleReturn, Money>> keys;
  for (const auto& o : opportunities) keys.emplace_back(SimpleReturn(o), o.discount);
  std::vector<size_t> order(opportunities.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto better = [&](size_t a, size_t b) {
    const int c = keys[a].first.compare(keys[b].first);
    return c != 0 ? c > 0 : keys[a].second > keys[b].second;
  };
  std::stable_sort(order.begin(), order.end(), better);
  int64_t rank = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    if (i == 0 || better(order[i - 1], order[i])) rank = int64_t(i) + 1;
    const auto& o = opportunities[order[i]];
    const SimpleReturn& r = keys[order[i]].first;
    rows->add(o.invoice_id, o.supplier_id, as_of, o.amount.micros(), o.discount.micros(),
              o.pay_now.micros(), o.discount_deadline_day, o.due_day, int64_t(o.days_gained),
              o.discount_ppm, r.num, r.den, r.ppm(),
              int64_t(std::floor(o.compound_annual_return * 1e6 + 0.5)), rank);
  }
}

}  // namespace

bool FinanceGold::build(const FinanceLedger& ledger, WarehouseTxn* txn) {
  cache_.begin();
  if (!cache_.source_moved(ledger.applied_events())) return false;
  const size_t steps_before = txn->steps.size();
  TableRows aging{&kAging, {}};
  TableRows receivables{&kReceivablesAging, {}};
  TableRows delays{&kDelays, {}};
  TableRows cash{&kCash, {}};
  TableRows early{&kEarlyPayments, {}};
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
    add_early_payment_rows(ledger.early_payment_opportunities(as_of), as_of, &early);
  }
  for (TableRows* t : {&aging, &receivables, &delays, &cash, &early}) {
    cache_.add_changed(std::move(*t), txn, GoldRowCache::Missing::kDelete);
  }
  return txn->steps.size() > steps_before;
}

}  // namespace ledgerflow::sinks
