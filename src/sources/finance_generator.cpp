#include "sources/finance_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/event_time.h"
#include "finance/early_payment.h"
#include "finance/payment_terms.h"

namespace ledgerflow {
namespace {

using namespace finance;

constexpr const char* kNameFirst[] = {"Acme",     "Northwind", "Globex",    "Initech",
                                      "Vandelay", "Hooli",     "Tyrell",    "Wonka",
                                      "Oscorp",   "Soylent",   "Gringotts", "Dunder"};
constexpr const char* kNameSecond[] = {"Components", "Logistics", "Supplies", "Packaging",
                                       "Metals",     "Foods",     "Textiles", "Electronics"};
struct TermsShare {
  const char* text;
  double share;
};
// The mix seen in practice: half the suppliers offer an early-payment discount.
constexpr TermsShare kTerms[] = {
    {"2/10 net 30", 0.35}, {"1/15 net 45", 0.15}, {"net 30", 0.30}, {"net 60", 0.20}};
constexpr const char* kCurrencies[] = {"EUR", "EUR", "USD", "GBP"};
constexpr const char* kNumberPrefixes[] = {"INV-", "", "F", "2026/"};
// Quantities that divide 100.00 into whole cents, for round invoices built from order lines.
constexpr int64_t kRoundQuantities[] = {1, 2, 4, 5, 10, 20, 25, 50};
constexpr double kRoundShare = 0.4;  // of a round-amount supplier's purchases
constexpr double kPartialReceiptShare = 0.1;
constexpr int32_t kBankChangeDays = 30;  // PaymentCheckParams::bank_change_days
constexpr int64_t kOutlierHistory = 55;  // OrderOutlierParams::min_history is 50

enum class Profile { kClean, kRound, kBenford };

// Event type rank within a day, so one day's records arrive in business order.
int64_t rank(const FinanceEvent& e) {
  return int64_t(e.index());
}

Money cents(double units) {
  return Money::from_micros(std::max<int64_t>(1, std::llround(units * 100.0)) * 10'000);
}

Money line_total(const std::vector<InvoiceLine>& lines) {
  Money total;
  for (const InvoiceLine& l : lines) total += l.unit_price * l.quantity;
  return total;
}

}  // namespace

struct FinanceGenerator::SupplierPlan {
  Supplier record;
  Profile profile = Profile::kClean;
  PaymentTerms terms;
  std::string currency;
  std::string number_prefix;
  int64_t next_number = 0;
  std::vector<std::pair<std::string, Money>> products;  // id, unit cost
  int64_t last_issue_day = INT64_MIN / 2;
  std::vector<size_t> payments;                           // indexes into out_.records
  std::vector<std::pair<int64_t, std::string>> accounts;  // from arrival day: fingerprint
};

FinanceGenerator::FinanceGenerator(FinanceGeneratorOptions options)
    : options_(options), rng_(options.seed) {}

FinanceGenerator::~FinanceGenerator() = default;

bool FinanceGenerator::chance(double p) {
  return p > 0 && uniform_real(0, 1) < p;
}

int64_t FinanceGenerator::uniform(int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
}

double FinanceGenerator::uniform_real(double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng_);
}

std::string FinanceGenerator::fingerprint() {
  return fmt::format("sha256:{:016x}{:016x}", rng_(), rng_());
}

std::string FinanceGenerator::next_id(const char* prefix) {
  return fmt::format("{}-{:06d}", prefix, next_id_++);
}

void FinanceGenerator::add(int64_t day, FinanceEvent e) {
  int64_t at = day * kMsPerDay + rank(e);
  add_at_ms(at, std::move(e));
}

void FinanceGenerator::add_at_ms(int64_t arrival_ms, FinanceEvent e) {
  out_.records.push_back({arrival_ms, std::move(e)});
}

void FinanceGenerator::label(const std::string& rule, std::vector<std::string> ids) {
  out_.labels.cases[rule].push_back(std::move(ids));
}

FinanceDataset FinanceGenerator::generate() {
  out_ = {};
  suppliers_.clear();
  suppliers_.reserve(size_t(options_.suppliers));
  for (int i = 0; i < options_.suppliers; ++i) plan_supplier(i);
  for (SupplierPlan& s : suppliers_) plan_bank_change(s);
  for (SupplierPlan& s : suppliers_) assign_accounts(s);
  for (int i = 0; i < options_.customers; ++i) plan_customer(i);
  plan_receivables();
  std::stable_sort(
      out_.records.begin(), out_.records.end(),
      [](const FinanceRecord& a, const FinanceRecord& b) { return a.arrival_ms < b.arrival_ms; });
  return std::move(out_);
}

void FinanceGenerator::plan_supplier(int index) {
  SupplierPlan& s = suppliers_.emplace_back();
  s.record.id = fmt::format("S{:03d}", index + 1);
  s.record.name = fmt::format("{} {}", kNameFirst[uniform(0, std::size(kNameFirst) - 1)],
                              kNameSecond[uniform(0, std::size(kNameSecond) - 1)]);
  s.record.bank_account_fingerprint = fingerprint();
  double u = uniform_real(0, 1);
  size_t t = 0;
  for (; t + 1 < std::size(kTerms) && u >= kTerms[t].share; ++t) u -= kTerms[t].share;
  s.record.terms_text = kTerms[t].text;
  s.terms = PaymentTerms::parse(s.record.terms_text).value();
  s.record.lead_time_days = int32_t(uniform(2, 21));
  s.currency = kCurrencies[uniform(0, std::size(kCurrencies) - 1)];
  s.number_prefix = kNumberPrefixes[uniform(0, std::size(kNumberPrefixes) - 1)];
  s.next_number = uniform(1000, 90'000);
  // Unit costs log-uniform over three whole decades (1.00 to 1,000.00): amounts built from
  // them follow Benford's law, as real purchase amounts do.
  for (int p = 0; p < 40; ++p) {
    const size_t k = size_t(p) * size_t(options_.suppliers) + size_t(index);
    const std::vector<int64_t>& catalog = options_.catalog_product_ids;
    s.products.emplace_back(k < catalog.size() ? std::to_string(catalog[k])
                                               : fmt::format("P-{}-{:02d}", s.record.id, p + 1),
                            cents(std::pow(10.0, uniform_real(0, 3))));
  }
  double profile = uniform_real(0, 1);
  const FinanceAnomalyRates& r = options_.rates;
  if (profile < r.round_amount_supplier) {
    s.profile = Profile::kRound;
    label("round_amount_invoices", {s.record.id});
    out_.labels.also["benford_deviation"].insert(s.record.id);
  } else if (profile < r.round_amount_supplier + r.benford_supplier) {
    s.profile = Profile::kBenford;
    label("benford_deviation", {s.record.id});
  }
  s.accounts.emplace_back(options_.start_day, s.record.bank_account_fingerprint);
  add(options_.start_day, s.record);
  int64_t end = options_.start_day + options_.days;
  for (int64_t day = options_.start_day + uniform(0, 6); day < end; day += uniform(6, 9)) {
    emit_purchase(s, day);
  }
}

FinanceGenerator::PurchaseKind FinanceGenerator::purchase_kind() {
  const FinanceAnomalyRates& r = options_.rates;
  double u = uniform_real(0, 1);
  std::pair<double, PurchaseKind> kinds[] = {{r.split_invoice, PurchaseKind::kSplit},
                                             {r.price_mismatch, PurchaseKind::kPrice},
                                             {r.quantity_mismatch, PurchaseKind::kQuantity},
                                             {r.invoice_not_received, PurchaseKind::kNotReceived}};
  for (auto [p, kind] : kinds) {
    if (u < p) return kind;
    u -= p;
  }
  return PurchaseKind::kClean;
}

std::vector<PurchaseOrderLine> FinanceGenerator::order_lines(SupplierPlan& s, PurchaseKind kind) {
  auto product = [&]() -> const std::pair<std::string, Money>& {
    return s.products[size_t(uniform(0, int64_t(s.products.size()) - 1))];
  };
  if (s.profile == Profile::kRound && chance(kRoundShare)) {
    int64_t qty = kRoundQuantities[uniform(0, std::size(kRoundQuantities) - 1)];
    int64_t hundreds = std::llround(std::pow(10.0, uniform_real(1, 3.5)));
    Money unit = Money::from_units(100 * hundreds / qty);
    return {{product().first, qty, unit}};
  }
  if (s.profile == Profile::kBenford) {
    // Invented amounts: first digit 5 to 9, in the hundreds or the thousands.
    double target = uniform_real(5, 10) * std::pow(10.0, double(uniform(2, 3)));
    int64_t qty = uniform(1, 20);
    return {{product().first, qty, cents(target / double(qty))}};
  }
  if (kind == PurchaseKind::kSplit) {
    // One large line, 1.05 to 2.5 times the threshold, later billed in pieces.
    const auto& [id, cost] = product();
    double threshold = double(options_.approval_threshold.micros()) / double(Money::kScale);
    double target = threshold * uniform_real(1.05, 2.5);
    double unit = double(cost.micros()) / double(Money::kScale);
    return {{id, int64_t(std::ceil(target / unit)), cost}};
  }
  double u = uniform_real(0, 1);
  size_t n = u < 0.6 ? 1 : u < 0.9 ? 2 : 3;
  std::vector<PurchaseOrderLine> lines;
  while (lines.size() < n) {
    const auto& [id, cost] = product();
    bool taken = std::any_of(lines.begin(), lines.end(),
                             [&](const PurchaseOrderLine& l) { return l.product_id == id; });
    if (!taken) lines.push_back({id, std::llround(std::pow(10.0, uniform_real(0.7, 2.7))), cost});
  }
  return lines;
}

Invoice FinanceGenerator::make_invoice(SupplierPlan& s, const std::string& po_id,
                                       std::vector<InvoiceLine> lines, int64_t issue_day) {
  Invoice inv;
  inv.id = next_id("inv");
  inv.supplier_id = s.record.id;
  inv.supplier_name = s.record.name;
  inv.number = s.number_prefix + std::to_string(s.next_number++);
  inv.po_id = po_id;
  inv.lines = std::move(lines);
  inv.amount = line_total(inv.lines);
  inv.issue_day = issue_day;
  inv.currency = s.currency;
  inv.terms_text = s.record.terms_text;
  if (chance(0.5)) inv.due_day = s.terms.due_day(issue_day);
  return inv;
}

void FinanceGenerator::emit_purchase(SupplierPlan& s, int64_t order_day) {
  PurchaseKind kind = s.profile == Profile::kClean ? purchase_kind() : PurchaseKind::kClean;
  PurchaseOrder po;
  po.id = next_id("po");
  po.supplier_id = s.record.id;
  po.order_day = order_day;
  po.lines = order_lines(s, kind);
  bool promised = chance(0.8);
  for (PurchaseOrderLine& l : po.lines) {
    if (promised) l.expected_day = order_day + s.record.lead_time_days;
  }
  add(order_day, po);

  GoodsReceipt receipt;
  receipt.id = next_id("gr");
  receipt.po_id = po.id;
  receipt.received_day = std::max(order_day, order_day + s.record.lead_time_days + uniform(-1, 2));
  for (const PurchaseOrderLine& l : po.lines) receipt.lines.push_back({l.product_id, l.quantity});
  if (kind == PurchaseKind::kClean && s.profile == Profile::kClean &&
      chance(kPartialReceiptShare)) {
    GoodsReceiptLine& l = receipt.lines[size_t(uniform(0, int64_t(receipt.lines.size()) - 1))];
    l.quantity = std::max<int64_t>(1, int64_t(double(l.quantity) * uniform_real(0.5, 0.95)));
  }
  if (kind != PurchaseKind::kNotReceived) add(receipt.received_day, receipt);

  // Billed as received, at the ordered price.
  std::vector<InvoiceLine> billed;
  for (size_t i = 0; i < po.lines.size(); ++i) {
    billed.push_back({po.lines[i].product_id, receipt.lines[i].quantity, po.lines[i].unit_cost});
  }
  if (kind == PurchaseKind::kPrice) {
    double unit = double(billed[0].unit_price.micros()) / double(Money::kScale);
    billed[0].unit_price = cents(unit * uniform_real(1.05, 1.25));
  } else if (kind == PurchaseKind::kQuantity) {
    int64_t received = billed[0].quantity;
    billed[0].quantity +=
        std::max<int64_t>(1, std::llround(double(received) * uniform_real(0.1, 0.5)));
  }
  // A supplier bills at most once a week (see docs/FINANCE.md "Generated data").
  int64_t issue_day =
      std::max(receipt.received_day + uniform(0, 2), s.last_issue_day + options_.split_window_days);
  Invoice inv = make_invoice(s, po.id, std::move(billed), issue_day);
  if (kind == PurchaseKind::kSplit) {
    emit_split(s, inv);
    return;
  }
  s.last_issue_day = issue_day;
  add(issue_day, inv);
  if (kind == PurchaseKind::kPrice || kind == PurchaseKind::kQuantity) {
    label("three_way_mismatch", {inv.id});
  } else if (kind == PurchaseKind::kNotReceived) {
    label("invoice_not_received", {inv.id});
  }
  emit_invoice_copies(inv);
  emit_payments(s, inv);
}

// The whole invoice's single line cut into k pieces of different sizes (equal pieces would
// also look like duplicates), each under the threshold, issued within one window.
void FinanceGenerator::emit_split(SupplierPlan& s, const Invoice& whole) {
  const InvoiceLine& line = whole.lines[0];
  int64_t cap = options_.approval_threshold.micros() * 7 / 10;
  std::vector<int64_t> qty;
  for (int64_t k = (whole.amount.micros() + cap - 1) / cap; qty.empty(); ++k) {
    // Sizes step by a tenth of the average piece around it: k distinct quantities.
    int64_t step = std::max<int64_t>(1, line.quantity / (10 * k));
    int64_t left = line.quantity;
    for (int64_t i = 0; i + 1 < k; ++i) {
      qty.push_back(line.quantity / k + (i - k / 2) * step);
      left -= qty.back();
    }
    qty.push_back(left);
    bool fits = std::all_of(qty.begin(), qty.end(), [&](int64_t q) {
      return q >= 1 && (line.unit_price * q) < options_.approval_threshold;
    });
    if (!fits) qty.clear();
  }
  std::vector<int64_t> days{whole.issue_day};
  while (days.size() < qty.size()) {
    days.push_back(whole.issue_day + uniform(0, options_.split_window_days - 2));
  }
  std::sort(days.begin(), days.end());
  std::vector<std::string> ids;
  for (size_t i = 0; i < qty.size(); ++i) {
    Invoice piece =
        make_invoice(s, whole.po_id, {{line.product_id, qty[i], line.unit_price}}, days[i]);
    add(piece.issue_day, piece);
    ids.push_back(piece.id);
    emit_payments(s, piece);
  }
  s.last_issue_day = days.back();
  label("split_invoice", std::move(ids));
}

// A copy re-bills the order (beyond what was received, or with nothing received) and may
// complete a split group with its original, so those rules count an alert on it as true too.
void FinanceGenerator::emit_invoice_copies(const Invoice& inv) {
  const FinanceAnomalyRates& r = options_.rates;
  auto copy = [&](const char* rule, Invoice c, int64_t arrival_day) {
    c.id = next_id("inv");
    label(rule, {c.id});
    out_.labels.also["three_way_mismatch"].insert(c.id);
    out_.labels.also["invoice_not_received"].insert(c.id);
    if (c.amount < options_.approval_threshold) out_.labels.also["split_invoice"].insert(c.id);
    add(arrival_day, std::move(c));
  };
  if (chance(r.duplicate_invoice)) {
    copy("duplicate_invoice", inv, inv.issue_day + uniform(0, 20));
  }
  if (chance(r.near_duplicate_number)) {
    Invoice c = inv;
    int64_t shift = uniform(1, 5);
    c.issue_day += shift;
    if (c.due_day) *c.due_day += shift;
    switch (uniform(0, 2)) {
      case 0:  // re-keyed by hand: same number once normalized
        for (char& ch : c.number) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        c.number = "# " + c.number;
        break;
      case 1:
        c.number += "A";
        break;
      default:
        c.number += "-2";
        break;
    }
    copy("near_duplicate_invoice_number", std::move(c), inv.issue_day + shift + uniform(0, 10));
  }
}

void FinanceGenerator::emit_payments(SupplierPlan& s, const Invoice& inv) {
  Payment p;
  p.id = next_id("pay");
  p.invoice_id = inv.id;
  p.amount = inv.amount;
  p.method = chance(0.85) ? "transfer" : chance(0.6) ? "card" : "check";
  int64_t due = inv.due_day.value_or(s.terms.due_day(inv.issue_day));
  double u = uniform_real(0, 1);
  if (s.terms.has_discount() && u < 0.5) {
    p.paid_day = inv.issue_day + uniform(0, s.terms.discount_days);
    p.amount = inv.amount - discount_amount(inv.amount, s.terms.discount_ppm);
  } else if (u < 0.75) {
    p.paid_day = due - uniform(0, 5);
  } else {
    p.paid_day = due + uniform(1, 40);
  }
  p.paid_day = std::max(p.paid_day, inv.issue_day);
  int64_t arrival = p.paid_day;
  if (chance(options_.rates.payment_before_invoice)) {
    p.paid_day = inv.issue_day - uniform(1, 10);  // backdated: recorded later than dated
    label("payment_before_invoice", {p.id});
  }
  bool full = p.amount == inv.amount;
  s.payments.push_back(out_.records.size());
  add(arrival, p);
  if (full && chance(options_.rates.payment_already_paid)) {
    Payment again = p;
    again.id = next_id("pay");
    again.paid_day = arrival + uniform(1, 15);
    label("payment_already_paid", {again.id});
    s.payments.push_back(out_.records.size());
    add(again.paid_day, std::move(again));
  }
}

// A changed account shortly before one of the supplier's payments; every payment dated
// within the following kBankChangeDays days is then labelled.
void FinanceGenerator::plan_bank_change(SupplierPlan& s) {
  if (s.payments.empty() || !chance(options_.rates.bank_account_change)) return;
  size_t pick = s.payments[size_t(uniform(0, int64_t(s.payments.size()) - 1))];
  const Payment& p = std::get<Payment>(out_.records[pick].event);
  int64_t day = std::max(options_.start_day + 1, p.paid_day - uniform(0, 20));
  Supplier changed = s.record;
  changed.bank_account_fingerprint = fingerprint();
  if (chance(0.5)) changed.changed_day = day;  // else the ingest day, which is the same here
  s.accounts.emplace_back(day, changed.bank_account_fingerprint);
  add(day, std::move(changed));
}

// Payments go to the account the supplier has when the payment is recorded.
void FinanceGenerator::assign_accounts(SupplierPlan& s) {
  for (size_t index : s.payments) {
    FinanceRecord& rec = out_.records[index];
    Payment& p = std::get<Payment>(rec.event);
    int64_t arrival_day = floor_div(rec.arrival_ms, kMsPerDay);
    size_t a = 0;
    while (a + 1 < s.accounts.size() && s.accounts[a + 1].first <= arrival_day) ++a;
    p.bank_account_fingerprint = s.accounts[a].second;
    int64_t since = p.paid_day - s.accounts[a].first;
    if (a > 0 && since >= 0 && since <= kBankChangeDays) {
      label("payment_bank_account_changed", {p.id});
    }
  }
}

void FinanceGenerator::plan_customer(int index) {
  std::string customer = fmt::format("C{:04d}", index + 1);
  double base = std::pow(10.0, uniform_real(1.3, 3));  // 20.00 to 1,000.00 per order
  auto order = [&](int64_t time_ms, double amount) {
    CustomerOrder o{next_id("ord"), customer, cents(amount), time_ms};
    add_at_ms(time_ms, o);
    return o.id;
  };
  int64_t end_ms = (options_.start_day + options_.days) * kMsPerDay;
  int64_t t = options_.start_day * kMsPerDay + uniform(0, 3 * kMsPerDay);
  // Everyday spread: within 40 % of the customer's usual order, never an outlier.
  for (int64_t n = 0; t < end_ms; ++n, t += uniform(kMsPerDay, 6 * kMsPerDay)) {
    if (n >= kOutlierHistory && chance(options_.rates.order_outlier)) {
      label("order_amount_outlier", {order(t, base * uniform_real(8, 15))});
    } else {
      order(t, base * uniform_real(0.6, 1.4));
    }
    if (chance(options_.rates.order_burst)) {
      std::vector<int64_t> times;
      for (int64_t k = uniform(6, 8); k > 0; --k) {
        times.push_back(t + 2 * kMsPerHour + uniform(0, 30 * kMsPerMinute));
      }
      std::sort(times.begin(), times.end());
      std::vector<std::string> ids;
      for (int64_t at : times) ids.push_back(order(at, base * uniform_real(0.6, 1.4)));
      n += int64_t(times.size());
      label("order_velocity", std::move(ids));
    }
  }
}

// Customer invoices for a share of the orders, and the customers' payments.
void FinanceGenerator::plan_receivables() {
  receivables_rng_.seed(options_.seed ^ 0x5EC3'1AB1'E5ULL);
  auto draw = [&](double p) {
    return std::uniform_real_distribution<double>(0, 1)(receivables_rng_) < p;
  };
  auto days = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(receivables_rng_);
  };
  auto id = [&](const char* prefix) {
    return fmt::format("{}-{:06d}", prefix, next_receivable_id_++);
  };
  const size_t orders = out_.records.size();
  for (size_t i = 0; i < orders; ++i) {
    const auto* o = std::get_if<CustomerOrder>(&out_.records[i].event);
    if (o == nullptr || !draw(options_.invoiced_order_share)) continue;
    CustomerInvoice inv;
    inv.id = id("cinv");
    inv.customer_id = o->customer_id;
    inv.order_id = o->id;
    inv.amount = o->amount;
    inv.currency = "EUR";
    inv.issue_day = floor_div(o->time_ms, kMsPerDay) + days(0, 2);
    const int64_t net = draw(0.5) ? 15 : 30;
    inv.terms_text = fmt::format("net {}", net);
    double kind = std::uniform_real_distribution<double>(0, 1)(receivables_rng_);
    std::optional<int64_t> paid;
    if (kind < 0.80) {
      paid = inv.issue_day + days(1, net);
    } else if (kind < 0.95) {
      paid = inv.issue_day + net + days(1, 60);
    }
    add(inv.issue_day, inv);
    if (paid) {
      add(*paid, CustomerPayment{id("cpay"), inv.id, inv.amount, *paid, "transfer"});
    }
  }
}

}  // namespace ledgerflow
