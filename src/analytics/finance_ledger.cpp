#include "analytics/finance_ledger.h"

#include <algorithm>
#include <tuple>
#include <variant>

#include "core/assert.h"
#include "core/event_time.h"
#include "core/json_writer.h"
#include "ingest/finance_event_writer.h"

namespace ledgerflow {

using namespace finance;

namespace {

bool payment_before(const Payment& a, const Payment& b) {
  return std::tie(a.paid_day, a.id) < std::tie(b.paid_day, b.id);
}

}  // namespace

// Saturating: the parser's limits keep real orders far below int64 micro-units.
Money purchase_order_value(const PurchaseOrder& po) {
  Money total;
  for (const PurchaseOrderLine& l : po.lines) {
    Money line;
    if (!Money::checked_mul(l.unit_cost, l.quantity, &line) ||
        !Money::checked_add(total, line, &total)) {
      return Money::from_micros(INT64_MAX / 2);
    }
  }
  return total;
}

namespace {

// Open documents (supplier or customer invoices) in aging buckets by their counterparty.
template <typename Map, typename OpenFn, typename PartyFn>
AgingReport age(const Map& docs, int64_t as_of_day, OpenFn open, PartyFn party) {
  std::vector<OpenItem> items;
  for (const auto& [id, s] : docs) {
    Money amount = open(s, as_of_day);
    if (amount > Money()) items.push_back(OpenItem{party(s), amount, s.due_day});
  }
  Result<AgingReport> report = age_open_items(items, as_of_day);
  // Parser limits bound every amount (1e9 units) and the ledger bounds the count, so sums stay
  // far inside int64 micro-units.
  LF_ASSERT(report.is_ok());
  return std::move(report.value());
}

// Average over the window's days of the open balance at the end of each day, and the flow of
// invoices issued in the window. Open balances only change on an issue, payment or settlement
// day, so each document contributes a step function evaluated at those days.
template <typename Map, typename OpenFn, typename IssueFn>
void window_balance(const Map& docs, int64_t first_day, int64_t as_of_day, OpenFn open,
                    IssueFn issue, Money* average, Money* flow) {
  const int64_t days = as_of_day - first_day + 1;
  std::vector<Money> delta(size_t(days) + 1);
  for (const auto& [id, s] : docs) {
    int64_t issued = issue(s);
    if (issued >= first_day && issued <= as_of_day) *flow += s.invoice.amount;
    Money before = open(s, first_day - 1);
    std::vector<int64_t> change_days = {std::max(issued, first_day)};
    for (const auto& p : s.payments) change_days.push_back(p.paid_day);
    std::sort(change_days.begin(), change_days.end());
    delta[0] += before;
    for (int64_t d : change_days) {
      if (d < first_day || d > as_of_day) continue;
      Money now = open(s, d);
      delta[size_t(d - first_day)] += now - before;
      before = now;
    }
  }
  // Exact floor of the mean without a wider integer: quotients and remainders summed apart.
  int64_t quotient = 0, remainder = 0;
  Money running;
  for (int64_t i = 0; i < days; ++i) {
    running += delta[size_t(i)];
    quotient += running.micros() / days;
    remainder += running.micros() % days;
  }
  *average = Money::from_micros(quotient + remainder / days);
}

}  // namespace

FinanceLedger::FinanceLedger(FinanceConfig config)
    : config_(config),
      duplicates_(config.duplicate),
      splits_(config.split),
      round_(config.round),
      benford_(config.benford),
      outliers_(config.outlier),
      velocity_(config.velocity) {}

void FinanceLedger::apply(const FinanceEvent& event, int64_t ingest_time_ms, uint64_t offset) {
  if (history_.size() >= config_.max_events) {
    dropped_ += 1;
    return;
  }
  history_.push_back(History{ingest_time_ms, offset, finance_event_json(event)});
  current_offset_ = offset;
  const int64_t ingest_day = floor_div(ingest_time_ms, kMsPerDay);
  current_day_ = finance_business_day(event).value_or(ingest_day);
  std::visit(
      [&](const auto& e) {
        if constexpr (std::is_same_v<std::decay_t<decltype(e)>, Supplier>) {
          on(e, ingest_day);
        } else {
          on(e);
        }
      },
      event);
  latest_day_ = std::max(latest_day_.value_or(current_day_), current_day_);
}

void FinanceLedger::on(const Supplier& s, int64_t ingest_day) {
  auto it = suppliers_.find(s.id);
  suppliers_[s.id] =
      apply_supplier_record(it == suppliers_.end() ? nullptr : &it->second, s, ingest_day);
}

void FinanceLedger::on(const PurchaseOrder& po) {
  if (!orders_.try_emplace(po.id, po).second) return;
  for (const PurchaseOrderLine& line : po.lines) {
    LatestOrders& latest = latest_orders_[line.product_id];
    if (latest.suppliers.empty() || po.order_day > latest.day) {
      latest.day = po.order_day;
      latest.suppliers = {po.supplier_id};
    } else if (po.order_day == latest.day) {
      latest.suppliers.insert(po.supplier_id);
    }
  }
}

void FinanceLedger::on(const GoodsReceipt& r) {
  receipts_[r.po_id].push_back(r);
  goods_receipts_ += 1;
}

PaymentTerms FinanceLedger::terms_for(const Invoice& inv) const {
  std::string_view text = inv.terms_text;
  if (text.empty()) {
    auto s = suppliers_.find(inv.supplier_id);
    if (s != suppliers_.end()) text = s->second.terms_text;
  }
  if (!text.empty()) {
    if (Result<PaymentTerms> t = PaymentTerms::parse(text)) return t.value();
  }
  return PaymentTerms{};  // no terms known: due on the issue day, no discount
}

void FinanceLedger::on(const Invoice& inv) {
  if (invoices_.count(inv.id) > 0) return;  // a replay under a new identity: first one wins
  raise_all(duplicates_.observe(inv), inv.supplier_id);
  raise_all(splits_.observe(inv), inv.supplier_id);
  // Earlier invoices on the order by (issue day, id), whatever their arrival (three_way_match.h).
  // Invoices without an order are not grouped: they share no order to be matched against.
  static const std::vector<GoodsReceipt> kNoReceipts;
  std::vector<Invoice> earlier;
  auto billed = invoices_by_order_.find(inv.po_id);
  if (!inv.po_id.empty() && billed != invoices_by_order_.end()) {
    for (const std::string& id : billed->second) {
      const Invoice& other = invoices_.at(id).invoice;
      if (std::tie(other.issue_day, other.id) < std::tie(inv.issue_day, inv.id)) {
        earlier.push_back(other);
      }
    }
  }
  auto po = orders_.find(inv.po_id);
  auto received = receipts_.find(inv.po_id);
  raise_all(match_invoice(inv, po == orders_.end() ? nullptr : &po->second,
                          received == receipts_.end() ? kNoReceipts : received->second, earlier,
                          config_.match),
            inv.supplier_id);
  round_.observe(inv);
  benford_.observe(inv);
  judge_standing(inv.supplier_id);

  InvoiceState state;
  state.invoice = inv;
  state.terms = terms_for(inv);
  state.due_day = inv.due_day.value_or(state.terms.due_day(inv.issue_day));
  auto orphans = orphan_payments_.find(inv.id);
  if (orphans != orphan_payments_.end()) {
    state.payments = std::move(orphans->second);
    orphan_payments_.erase(orphans);
  }
  if (!inv.po_id.empty()) invoices_by_order_[inv.po_id].push_back(inv.id);
  invoices_.emplace(inv.id, std::move(state));
}

void FinanceLedger::on(const Payment& p) {
  payments_ += 1;
  auto inv = invoices_.find(p.invoice_id);
  InvoiceState* state = inv == invoices_.end() ? nullptr : &inv->second;
  std::vector<Payment>& list = state ? state->payments : orphan_payments_[p.invoice_id];
  Money paid_before;
  for (const Payment& other : list) {
    if (payment_before(other, p)) paid_before += other.amount;
  }
  const Supplier* supplier = nullptr;
  if (state != nullptr) {
    auto s = suppliers_.find(state->invoice.supplier_id);
    if (s != suppliers_.end()) supplier = &s->second;
  }
  raise_all(
      check_payment(p, state ? &state->invoice : nullptr, paid_before, supplier, config_.payment),
      state ? state->invoice.supplier_id : std::string());
  list.insert(std::upper_bound(list.begin(), list.end(), p, payment_before), p);
}

void FinanceLedger::on(const CustomerOrder& o) {
  customer_orders_ += 1;
  if (auto a = outliers_.observe(o)) raise(std::move(*a), o.customer_id);
  if (auto a = velocity_.observe(o)) raise(std::move(*a), o.customer_id);
  // Customers idle for a whole velocity window are forgotten, bounding the detector's state.
  if (customer_orders_ % 4096 == 0) velocity_.prune(o.time_ms);
}

void FinanceLedger::on(const CustomerInvoice& inv) {
  if (receivables_.count(inv.id) > 0) return;
  ReceivableState state;
  state.invoice = inv;
  PaymentTerms terms;
  if (Result<PaymentTerms> t = PaymentTerms::parse(inv.terms_text)) terms = t.value();
  state.due_day = inv.due_day.value_or(terms.due_day(inv.issue_day));
  auto orphans = orphan_receipts_.find(inv.id);
  if (orphans != orphan_receipts_.end()) {
    state.payments = std::move(orphans->second);
    orphan_receipts_.erase(orphans);
  }
  receivables_.emplace(inv.id, std::move(state));
}

// A customer payment before its invoice is kept aside until the invoice arrives.
void FinanceLedger::on(const CustomerPayment& p) {
  customer_payments_ += 1;
  auto it = receivables_.find(p.invoice_id);
  (it == receivables_.end() ? orphan_receipts_[p.invoice_id] : it->second.payments).push_back(p);
}

Money FinanceLedger::open_receivable(const ReceivableState& s, int64_t as_of_day) {
  if (s.invoice.issue_day > as_of_day) return Money();
  Money open = s.invoice.amount;
  for (const CustomerPayment& p : s.payments) {
    if (p.paid_day <= as_of_day) open -= p.amount;
  }
  return std::max(open, Money());
}

AgingReport FinanceLedger::receivables_aging(int64_t as_of_day) const {
  return age(
      receivables_, as_of_day,
      [](const ReceivableState& s, int64_t d) { return open_receivable(s, d); },
      [](const ReceivableState& s) -> const std::string& { return s.invoice.customer_id; });
}

WorkingCapitalInputs FinanceLedger::working_capital_inputs(int64_t as_of_day,
                                                           int32_t window_days) const {
  WorkingCapitalInputs in;
  in.window_days = window_days;
  const int64_t first_day = as_of_day - window_days + 1;
  window_balance(
      receivables_, first_day, as_of_day,
      [](const ReceivableState& s, int64_t d) { return open_receivable(s, d); },
      [](const ReceivableState& s) { return s.invoice.issue_day; }, &in.average_receivables,
      &in.revenue);
  window_balance(
      invoices_, first_day, as_of_day,
      [this](const InvoiceState& s, int64_t d) { return open_amount(s, d); },
      [](const InvoiceState& s) { return s.invoice.issue_day; }, &in.average_payables,
      &in.purchases);
  return in;
}

void FinanceLedger::raise(Alert a, const std::string& subject, bool standing) {
  LedgerAlert la{next_seq_++, current_offset_, current_day_, subject, standing, std::move(a)};
  raised_by_rule_[la.alert.rule_id] += 1;
  raised_by_severity_[severity_name(la.alert.severity)] += 1;
  if (standing) {
    standing_.insert_or_assign({la.alert.rule_id, subject}, std::move(la));
    return;
  }
  alerts_.push_back(std::move(la));
  if (alerts_.size() > config_.alerts_kept) alerts_.pop_front();
}

void FinanceLedger::raise_all(std::vector<Alert> alerts, const std::string& subject) {
  for (Alert& a : alerts) raise(std::move(a), subject);
}

// Round amounts and Benford judge a supplier's whole history: the alert arises when the supplier
// first crosses the rule, keeps its sequence number while the rule still holds (its figures
// follow the newest invoice) and goes away when the supplier's amounts come back in line.
void FinanceLedger::judge_standing(const std::string& supplier_id) {
  auto judge = [&](const char* rule, std::optional<Alert> now) {
    auto it = standing_.find({rule, supplier_id});
    if (!now) {
      if (it != standing_.end()) standing_.erase(it);
      return;
    }
    if (it == standing_.end()) {
      raise(std::move(*now), supplier_id, true);
    } else {
      it->second.alert = std::move(*now);
    }
  };
  judge("round_amount_invoices", round_.evaluate(supplier_id));
  judge("benford_deviation", benford_.evaluate(supplier_id));
}

std::optional<int64_t> FinanceLedger::settled_day(const InvoiceState& s) const {
  const Invoice& inv = s.invoice;
  Money paid;
  for (const Payment& p : s.payments) {
    paid += p.amount;
    Money needed = inv.amount;
    if (s.terms.discount_open(inv.issue_day, p.paid_day)) {
      needed = inv.amount - discount_amount(inv.amount, s.terms.discount_ppm);
    }
    if (paid >= needed) return p.paid_day;
  }
  return std::nullopt;
}

Money FinanceLedger::open_amount(const InvoiceState& s, int64_t as_of_day) const {
  if (s.invoice.issue_day > as_of_day) return Money();
  std::optional<int64_t> settled = settled_day(s);
  if (settled && *settled <= as_of_day) return Money();
  Money open = s.invoice.amount;
  for (const Payment& p : s.payments) {
    if (p.paid_day <= as_of_day) open -= p.amount;
  }
  return std::max(open, Money());
}

FinanceCounts FinanceLedger::counts(int64_t as_of_day) const {
  FinanceCounts c;
  c.suppliers = suppliers_.size();
  c.purchase_orders = orders_.size();
  c.goods_receipts = goods_receipts_;
  c.invoices = invoices_.size();
  c.payments = payments_;
  c.customer_orders = customer_orders_;
  c.customer_invoices = receivables_.size();
  c.customer_payments = customer_payments_;
  for (const auto& [id, s] : receivables_) c.open_receivables += open_receivable(s, as_of_day);
  c.dropped = dropped_;
  for (const auto& [id, s] : invoices_) {
    Money open = open_amount(s, as_of_day);
    c.open_payables += open;
    if (s.due_day < as_of_day) c.overdue_payables += open;
  }
  return c;
}

AgingReport FinanceLedger::payables_aging(int64_t as_of_day) const {
  return age(
      invoices_, as_of_day, [this](const InvoiceState& s, int64_t d) { return open_amount(s, d); },
      [](const InvoiceState& s) -> const std::string& { return s.invoice.supplier_id; });
}

std::map<std::string, DelayStats> FinanceLedger::payment_delays() const {
  std::vector<SettledItem> items;
  for (const auto& [id, s] : invoices_) {
    if (std::optional<int64_t> day = settled_day(s)) {
      items.push_back(SettledItem{s.invoice.supplier_id, s.due_day, *day});
    }
  }
  return payment_delay_by_counterparty(items);
}

CashReport FinanceLedger::cash(int64_t as_of_day) const {
  CashReport r;
  auto add = [&](const std::string& supplier, auto&& fn) {
    fn(r.by_supplier[supplier]);
    fn(r.total);
  };
  for (const auto& [id, s] : invoices_) {
    Money open = open_amount(s, as_of_day);
    if (open <= Money()) continue;
    add(s.invoice.supplier_id, [&](CashFigures& f) {
      f.invoiced_not_paid += open;
      if (s.due_day < as_of_day) {
        f.overdue += open;
        return;
      }
      for (int h = 0; h < kCashHorizons; ++h) {
        if (s.due_day <= as_of_day + kCashHorizonDays[h]) f.due[size_t(h)] += open;
      }
    });
  }
  for (const auto& [id, po] : orders_) {
    if (po.order_day > as_of_day) continue;
    Money remaining = purchase_order_value(po);
    auto invoiced = invoices_by_order_.find(id);
    if (invoiced != invoices_by_order_.end()) {
      for (const std::string& inv_id : invoiced->second) {
        const Invoice& inv = invoices_.at(inv_id).invoice;
        if (inv.issue_day <= as_of_day) remaining -= inv.amount;
      }
    }
    if (remaining <= Money()) continue;
    add(po.supplier_id, [&](CashFigures& f) { f.ordered_not_invoiced += remaining; });
  }
  return r;
}

std::vector<EarlyPaymentOpportunity> FinanceLedger::early_payment_opportunities(
    int64_t as_of_day) const {
  std::vector<OpenInvoice> open;
  for (const auto& [id, s] : invoices_) {
    if (!s.terms.discount_open(s.invoice.issue_day, as_of_day)) continue;
    Money amount = open_amount(s, as_of_day);
    if (amount <= Money()) continue;
    open.push_back(OpenInvoice{id, s.invoice.supplier_id, amount, s.terms, s.invoice.issue_day});
  }
  return rank_early_payments(open, as_of_day);
}

EarlyPaymentReport FinanceLedger::early_payments(int64_t as_of_day, Money budget,
                                                 double hurdle) const {
  EarlyPaymentReport r;
  r.opportunities = early_payment_opportunities(as_of_day);
  r.plan = plan_early_payments(r.opportunities, budget, hurdle);
  return r;
}

AlertPage FinanceLedger::alerts(const AlertFilter& f) const {
  AlertPage page;
  page.by_rule = raised_by_rule_;
  page.by_severity = raised_by_severity_;
  auto matches = [&](const LedgerAlert& a) {
    return (f.rule.empty() || a.alert.rule_id == f.rule) &&
           (f.subject.empty() || a.subject == f.subject) &&
           (!f.severity || a.alert.severity == *f.severity);
  };
  std::vector<const LedgerAlert*> standing;
  for (const auto& [key, a] : standing_) {
    if (matches(a)) standing.push_back(&a);
  }
  std::sort(standing.begin(), standing.end(),
            [](const LedgerAlert* a, const LedgerAlert* b) { return a->seq > b->seq; });
  // Merge the event alerts (newest last in the deque) with the standing ones, newest first.
  auto event = alerts_.rbegin();
  auto st = standing.begin();
  for (;;) {
    while (event != alerts_.rend() && !matches(*event)) ++event;
    const LedgerAlert* next = nullptr;
    bool from_event = false;
    if (event != alerts_.rend() && (st == standing.end() || event->seq > (*st)->seq)) {
      next = &*event;
      from_event = true;
    } else if (st != standing.end()) {
      next = *st;
    }
    if (next == nullptr) break;
    page.total += 1;
    if (page.alerts.size() < f.limit) page.alerts.push_back(*next);
    if (from_event) {
      ++event;
    } else {
      ++st;
    }
  }
  return page;
}

std::vector<LedgerAlert> FinanceLedger::alerts_after(uint64_t seq, size_t limit) const {
  std::vector<LedgerAlert> out;
  auto first = std::upper_bound(alerts_.begin(), alerts_.end(), seq,
                                [](uint64_t s, const LedgerAlert& a) { return s < a.seq; });
  for (auto it = first; it != alerts_.end(); ++it) out.push_back(*it);
  for (const auto& [key, a] : standing_) {
    if (a.seq > seq) out.push_back(a);
  }
  std::sort(out.begin(), out.end(),
            [](const LedgerAlert& a, const LedgerAlert& b) { return a.seq < b.seq; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<LedgerAlert> FinanceLedger::standing_alerts() const {
  std::vector<LedgerAlert> out;
  for (const auto& [key, a] : standing_) out.push_back(a);
  return out;
}

std::optional<BenfordProfile> FinanceLedger::benford(const std::string& supplier_id) const {
  return benford_.profile(supplier_id);
}

std::vector<std::string> FinanceLedger::benford_suppliers() const {
  std::vector<std::string> out;
  for (const auto& [id, s] : suppliers_) {
    if (benford_.profile(id)) out.push_back(id);
  }
  for (const auto& [id, s] : invoices_) {
    const std::string& sid = s.invoice.supplier_id;
    if (suppliers_.count(sid) == 0 && benford_.profile(sid)) out.push_back(sid);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool FinanceLedger::benford_flagged(const std::string& supplier_id) const {
  return standing_.count({"benford_deviation", supplier_id}) > 0;
}

std::string FinanceLedger::supplier_name(const std::string& id) const {
  auto it = suppliers_.find(id);
  if (it == suppliers_.end() || it->second.name.empty()) return id;
  return it->second.name;
}

std::map<std::string, ProductLeadTime> FinanceLedger::product_lead_times() const {
  std::map<std::string, ProductLeadTime> out;
  for (const auto& [product, latest] : latest_orders_) {
    for (const std::string& supplier_id : latest.suppliers) {  // ascending: ties keep the first
      auto supplier = suppliers_.find(supplier_id);
      if (supplier == suppliers_.end()) continue;
      const int32_t days = supplier->second.lead_time_days;
      auto [it, inserted] =
          out.try_emplace(product, ProductLeadTime{supplier_id, days, latest.day});
      if (!inserted && days > it->second.lead_time_days)
        it->second = {supplier_id, days, latest.day};
    }
  }
  return out;
}

std::string FinanceLedger::invoice_number(const std::string& invoice_id) const {
  auto it = invoices_.find(invoice_id);
  return it == invoices_.end() ? std::string() : it->second.invoice.number;
}

void write_alert_json(JsonWriter& w, const LedgerAlert& a, const std::string& subject_name) {
  w.begin_object()
      .field("seq", a.seq)
      .field("rule_id", a.alert.rule_id)
      .field("severity", severity_name(a.alert.severity))
      .field("score", a.alert.score)
      .field("subject", a.subject)
      .field("subject_name", subject_name);
  w.field("day", format_day(a.day));
  w.field("offset", a.offset).key("evidence_ids").begin_array();
  for (const std::string& id : a.alert.evidence_ids) w.value(id);
  w.end_array().field("message", a.alert.message).field("standing", a.standing).end_object();
}

// Byte layout (inside the shard state, checkpoint.h): u64 event count, then per event i64
// ingest time ms, u64 log offset, str canonical JSON (finance_event_json), in apply order.
void FinanceLedger::serialize(ByteWriter& w) const {
  w.u64(history_.size());
  for (const History& h : history_) {
    w.i64(h.ingest_time_ms);
    w.u64(h.offset);
    w.str(h.json);
  }
  w.u64(dropped_);
}

bool FinanceLedger::deserialize(ByteReader& r) {
  *this = FinanceLedger(config_);
  uint64_t n;
  if (!r.u64(&n)) return false;
  FinanceEventParser parser(config_.parse_limits);
  for (uint64_t i = 0; i < n; ++i) {
    int64_t ingest_ms;
    uint64_t offset;
    std::string json;
    FinanceEvent event;
    if (!r.i64(&ingest_ms) || !r.u64(&offset) || !r.str(&json, 1u << 20) ||
        !parser.parse(json, std::nullopt, &event)) {
      return false;
    }
    apply(event, ingest_ms, offset);
  }
  return r.u64(&dropped_);
}

}  // namespace ledgerflow
