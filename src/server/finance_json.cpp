#include "server/finance_json.h"

#include <algorithm>
#include <set>

#include "core/json_writer.h"

namespace ledgerflow::server {

using namespace finance;

namespace {

void write_day(JsonWriter& w, std::string_view key, int64_t day) {
  w.field(key, format_day(day));
}

void write_buckets(JsonWriter& w, const AgingBuckets& b) {
  w.key("amount").begin_array();
  for (Money m : b.amount) w.value(m);
  w.end_array().key("count").begin_array();
  for (int64_t c : b.count) w.value(c);
  w.end_array().field("total", b.total);
}

void write_cash(JsonWriter& w, const CashFigures& f) {
  w.key("due").begin_array();
  for (Money m : f.due) w.value(m);
  w.end_array()
      .field("overdue", f.overdue)
      .field("ordered_not_invoiced", f.ordered_not_invoiced)
      .field("invoiced_not_paid", f.invoiced_not_paid)
      .field("open_commitments", f.open_commitments());
}

// Counterparties by a money figure, largest first, then id: a stable order for tables.
template <typename Map, typename Key>
std::vector<const typename Map::value_type*> largest_first(const Map& m, Key key) {
  std::vector<const typename Map::value_type*> out;
  for (const auto& entry : m) out.push_back(&entry);
  std::stable_sort(out.begin(), out.end(),
                   [&](const auto* a, const auto* b) { return key(a->second) > key(b->second); });
  return out;
}

}  // namespace

void write_reorder_line(JsonWriter& w, const ReorderLine& l) {
  const ReorderRecommendation& r = l.rec;
  auto optional = [&](std::string_view key, const auto& v) {
    w.key(key);
    if (v) {
      w.value(*v);
    } else {
      w.null();
    }
  };
  w.begin_object()
      .field("store_id", int64_t(l.store_id))
      .field("prod_id", l.prod_id)
      .field("prod_name", l.prod_name)
      .field("on_hand", l.on_hand)
      .field("lead_time_days", l.lead_time_days)
      .field("lead_time_supplier", l.lead_time_supplier)
      .field("demand_days", uint64_t(r.demand.days))
      .field("demand_mean", r.demand.mean)
      .field("demand_stddev", r.demand.stddev)
      .field("z", r.z)
      .field("safety_stock", r.safety_stock)
      .field("reorder_point", r.reorder_point);
  optional("eoq", r.eoq);
  optional("days_of_supply", r.days_of_supply);
  w.key("stockout_day");
  if (r.stockout_day) {
    w.value(format_day(*r.stockout_day));
  } else {
    w.null();
  }
  w.field("reorder_now", r.reorder_now).end_object();
}

std::string finance_summary_json(const FinanceLedger& l, const FinanceQuery& q) {
  FinanceCounts c = l.counts(q.as_of_day);
  AlertPage alerts = l.alerts(AlertFilter{.limit = 0});
  JsonWriter w;
  w.begin_object();
  write_day(w, "as_of", q.as_of_day);
  w.field("suppliers", c.suppliers)
      .field("purchase_orders", c.purchase_orders)
      .field("goods_receipts", c.goods_receipts)
      .field("invoices", c.invoices)
      .field("payments", c.payments)
      .field("customer_orders", c.customer_orders)
      .field("customer_invoices", c.customer_invoices)
      .field("customer_payments", c.customer_payments)
      .field("open_receivables", c.open_receivables)
      .field("events_dropped", c.dropped)
      .field("open_payables", c.open_payables)
      .field("overdue_payables", c.overdue_payables)
      .key("alerts")
      .begin_object()
      .field("total", alerts.total);
  for (const char* s : {"critical", "warning", "info"}) {
    auto it = alerts.by_severity.find(s);
    w.field(s, it == alerts.by_severity.end() ? uint64_t(0) : it->second);
  }
  w.end_object().end_object();
  return w.take();
}

namespace {

// The total and the counterparties of an aging report, largest open total first.
template <typename NameOf>
void write_aging(JsonWriter& w, const AgingReport& r, NameOf name_of) {
  w.key("total").begin_object();
  write_buckets(w, r.total);
  w.end_object().key("by_counterparty").begin_array();
  for (const auto* e :
       largest_first(r.by_counterparty, [](const AgingBuckets& b) { return b.total; })) {
    w.begin_object().field("id", e->first).field("name", name_of(e->first));
    write_buckets(w, e->second);
    w.end_object();
  }
  w.end_array();
}

// The DataCo receivables block: its own as-of day (the DataCo clock) and payment terms.
void write_dataco_aging(JsonWriter& w, const DatacoReceivablesAging& a) {
  w.key("dataco").begin_object().key("as_of");
  if (a.as_of_day == INT64_MIN) {
    w.null();
  } else {
    w.value(format_day(a.as_of_day));
  }
  w.field("terms_days", a.terms_days);
  // Customers carry no name in DataCo rows the marts keep: their id stands in.
  write_aging(w, a.report, [](const std::string& id) { return id; });
  w.end_object();
}

}  // namespace

std::string aging_json(const FinanceLedger& l, const FinanceQuery& q,
                       const DatacoReceivablesAging* dataco) {
  const bool receivables = q.side == "receivables";
  AgingReport r = receivables ? l.receivables_aging(q.as_of_day) : l.payables_aging(q.as_of_day);
  JsonWriter w;
  w.begin_object().field("side", receivables ? "receivables" : "payables");
  write_day(w, "as_of", q.as_of_day);
  w.key("buckets").begin_array();
  for (int b = 0; b < kAgingBuckets; ++b) w.value(aging_bucket_label(b));
  w.end_array();
  // Customers carry no name in the events: their id stands in.
  write_aging(w, r, [&](const std::string& id) { return receivables ? id : l.supplier_name(id); });
  if (dataco != nullptr) write_dataco_aging(w, *dataco);
  w.end_object();
  return w.take();
}

std::string working_capital_json(const WorkingCapitalInputs& in, int64_t as_of_day) {
  WorkingCapitalDays d = working_capital_days(in);
  JsonWriter w;
  auto optional = [&](std::string_view key, const std::optional<double>& v) {
    w.key(key);
    if (v) {
      w.value(*v);
    } else {
      w.null();
    }
  };
  w.begin_object();
  write_day(w, "as_of", as_of_day);
  w.field("window_days", int64_t(in.window_days))
      .field("dpo_basis", in.dpo_basis == DpoBasis::kPurchases ? "purchases" : "cogs")
      .field("revenue", in.revenue)
      .field("cogs", in.cogs)
      .field("purchases", in.purchases)
      .field("average_receivables", in.average_receivables)
      .field("average_inventory", in.average_inventory)
      .field("average_payables", in.average_payables);
  optional("dso", d.dso);
  optional("dio", d.dio);
  optional("dpo", d.dpo);
  optional("ccc", d.ccc);
  w.end_object();
  return w.take();
}

std::string payment_delays_json(const FinanceLedger& l) {
  JsonWriter w;
  w.begin_object().key("suppliers").begin_array();
  for (const auto& [id, s] : l.payment_delays()) {
    w.begin_object()
        .field("id", id)
        .field("name", l.supplier_name(id))
        .field("count", s.count)
        .field("mean_days", s.mean_days)
        .field("p90_days", s.p90_days)
        .end_object();
  }
  w.end_array().end_object();
  return w.take();
}

std::string cash_json(const FinanceLedger& l, const FinanceQuery& q) {
  CashReport r = l.cash(q.as_of_day);
  JsonWriter w;
  w.begin_object();
  write_day(w, "as_of", q.as_of_day);
  w.key("horizons_days").begin_array();
  for (int32_t d : kCashHorizonDays) w.value(int64_t(d));
  w.end_array().key("total").begin_object();
  write_cash(w, r.total);
  w.end_object().key("by_supplier").begin_array();
  for (const auto* e :
       largest_first(r.by_supplier, [](const CashFigures& f) { return f.open_commitments(); })) {
    w.begin_object().field("id", e->first).field("name", l.supplier_name(e->first));
    write_cash(w, e->second);
    w.end_object();
  }
  w.end_array().end_object();
  return w.take();
}

std::string early_payments_json(const FinanceLedger& l, const FinanceQuery& q) {
  EarlyPaymentReport r = l.early_payments(q.as_of_day, q.budget, q.hurdle);
  std::set<std::string> chosen(r.plan.invoice_ids.begin(), r.plan.invoice_ids.end());
  JsonWriter w;
  w.begin_object();
  write_day(w, "as_of", q.as_of_day);
  w.field("budget", q.budget).field("hurdle", q.hurdle).key("opportunities").begin_array();
  for (size_t i = 0; i < r.opportunities.size() && i < q.limit; ++i) {
    const EarlyPaymentOpportunity& o = r.opportunities[i];
    w.begin_object()
        .field("invoice_id", o.invoice_id)
        .field("supplier_id", o.supplier_id)
        .field("supplier_name", l.supplier_name(o.supplier_id))
        .field("number", l.invoice_number(o.invoice_id))
        .field("amount", o.amount)
        .field("discount", o.discount)
        .field("pay_now", o.pay_now);
    write_day(w, "discount_deadline", o.discount_deadline_day);
    write_day(w, "due", o.due_day);
    w.field("days_gained", int64_t(o.days_gained))
        .field("simple_annual_return", o.simple_annual_return)
        .field("compound_annual_return", o.compound_annual_return)
        .field("in_plan", chosen.count(o.invoice_id) > 0)
        .end_object();
  }
  w.end_array().field("total_opportunities", uint64_t(r.opportunities.size()));
  w.key("plan").begin_object().key("invoice_ids").begin_array();
  for (const std::string& id : r.plan.invoice_ids) w.value(id);
  w.end_array()
      .field("cash_needed", r.plan.cash_needed)
      .field("savings", r.plan.savings)
      .field("upper_bound", r.plan.upper_bound)
      .field("exact", r.plan.exact)
      .field("candidates", uint64_t(r.plan.candidates))
      .end_object()
      .end_object();
  return w.take();
}

std::string alerts_json(const FinanceLedger& l, const FinanceQuery& q,
                        const std::vector<LedgerAlert>& derived) {
  AlertPage page = l.alerts(q.alerts);
  for (const LedgerAlert& a : derived) {
    page.by_rule[a.alert.rule_id] += 1;
    page.by_severity[severity_name(a.alert.severity)] += 1;
    if (!q.alerts.rule.empty() && a.alert.rule_id != q.alerts.rule) continue;
    if (!q.alerts.subject.empty() && a.subject != q.alerts.subject) continue;
    if (q.alerts.severity && a.alert.severity != *q.alerts.severity) continue;
    page.total += 1;
    if (page.alerts.size() < q.alerts.limit) page.alerts.push_back(a);
  }
  JsonWriter w;
  w.begin_object();
  write_day(w, "as_of", q.as_of_day);
  w.field("total", page.total).key("by_rule").begin_object();
  for (const auto& [rule, n] : page.by_rule) w.field(rule, n);
  w.end_object().key("by_severity").begin_object();
  for (const char* s : {"critical", "warning", "info"}) {
    auto it = page.by_severity.find(s);
    w.field(s, it == page.by_severity.end() ? uint64_t(0) : it->second);
  }
  w.end_object().key("alerts").begin_array();
  for (const LedgerAlert& a : page.alerts) write_alert_json(w, a, l.subject_name(a.subject));
  w.end_array().end_object();
  return w.take();
}

Result<std::string> benford_json(const FinanceLedger& l, const FinanceQuery& q) {
  JsonWriter w;
  if (q.supplier.empty()) {
    w.begin_object().key("suppliers").begin_array();
    for (const std::string& id : l.benford_suppliers()) {
      BenfordProfile p = *l.benford(id);
      w.begin_object()
          .field("id", id)
          .field("name", l.supplier_name(id))
          .field("n", p.n)
          .field("mad", p.mad)
          .field("conformity", benford_conformity_name(p.conformity))
          .field("flagged", l.benford_flagged(id))
          .end_object();
    }
    w.end_array().field("min_count", l.config().benford.min_count).end_object();
    return w.take();
  }
  std::optional<BenfordProfile> p = l.benford(q.supplier);
  if (!p) {
    return Status::bad_input("unknown_supplier",
                             "no invoice amounts counted for supplier \"" + q.supplier + "\"");
  }
  w.begin_object()
      .field("supplier", q.supplier)
      .field("name", l.supplier_name(q.supplier))
      .field("n", p->n)
      .key("counts")
      .begin_array();
  for (int64_t c : p->counts) w.value(c);
  w.end_array().key("expected_share").begin_array();
  for (int d = 1; d <= 9; ++d) w.value(benford_expected_share(d));
  w.end_array().key("observed_share").begin_array();
  for (int64_t c : p->counts) w.value(p->n > 0 ? double(c) / double(p->n) : 0.0);
  w.end_array()
      .field("mad", p->mad)
      .field("conformity", benford_conformity_name(p->conformity))
      .field("flagged", l.benford_flagged(q.supplier))
      .field("min_count", l.config().benford.min_count)
      .end_object();
  return w.take();
}

}  // namespace ledgerflow::server
