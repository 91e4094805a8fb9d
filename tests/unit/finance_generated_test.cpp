// The finance generator and the fraud detectors together: generated JSON parses back to the
// same structs; every detector, fed in arrival order the way a shard would feed it, reaches
// precision and recall >= 0.9 per rule against the generator's labels; clean data gives no
// alert at all. The measured figures are printed and recorded in docs/FINANCE.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/event_time.h"
#include "finance/benford_detector.h"
#include "finance/duplicate_invoice_detector.h"
#include "finance/order_outlier_detector.h"
#include "finance/order_velocity_detector.h"
#include "finance/payment_checks.h"
#include "finance/round_amount_detector.h"
#include "finance/split_invoice_detector.h"
#include "finance/three_way_match.h"
#include "ingest/finance_event_writer.h"
#include "sources/finance_generator.h"

using namespace ledgerflow;
using namespace ledgerflow::finance;

namespace {

const char* const kInjectedRules[] = {
    "duplicate_invoice",      "near_duplicate_invoice_number", "split_invoice",
    "three_way_mismatch",     "invoice_not_received",          "payment_already_paid",
    "payment_before_invoice", "payment_bank_account_changed",  "round_amount_invoices",
    "benford_deviation",      "order_amount_outlier",          "order_velocity"};

// What one shard would hold for these events (suppliers, orders, receipts, invoices and
// payments by key) and the detectors it would run, fed one record at a time.
class ShardModel {
 public:
  void feed(const FinanceRecord& r) {
    std::visit([&](const auto& e) { on(e, r.arrival_ms); }, r.event);
  }
  std::vector<Alert> finish() {
    append(round_.evaluate());
    append(benford_.evaluate());
    return std::move(alerts_);
  }

 private:
  void append(std::vector<Alert> more) {
    for (Alert& a : more) alerts_.push_back(std::move(a));
  }
  void on(const Supplier& s, int64_t arrival_ms) {
    auto it = suppliers_.find(s.id);
    suppliers_[s.id] = apply_supplier_record(it == suppliers_.end() ? nullptr : &it->second, s,
                                             floor_div(arrival_ms, kMsPerDay));
  }
  void on(const PurchaseOrder& po, int64_t) { orders_[po.id] = po; }
  void on(const GoodsReceipt& r, int64_t) { receipts_[r.po_id].push_back(r); }
  void on(const Invoice& inv, int64_t) {
    append(duplicates_.observe(inv));
    append(splits_.observe(inv));
    // Earlier invoices on the order by (issue day, id), whatever their arrival.
    std::vector<Invoice> earlier;
    for (const Invoice& other : by_order_[inv.po_id]) {
      if (std::tie(other.issue_day, other.id) < std::tie(inv.issue_day, inv.id)) {
        earlier.push_back(other);
      }
    }
    auto po = orders_.find(inv.po_id);
    append(match_invoice(inv, po == orders_.end() ? nullptr : &po->second, receipts_[inv.po_id],
                         earlier));
    round_.observe(inv);
    benford_.observe(inv);
    by_order_[inv.po_id].push_back(inv);
    invoices_[inv.id] = inv;
  }
  void on(const Payment& p, int64_t) {
    auto inv = invoices_.find(p.invoice_id);
    const Invoice* invoice = inv == invoices_.end() ? nullptr : &inv->second;
    Money paid_before;
    for (const Payment& other : payments_[p.invoice_id]) {
      if (std::tie(other.paid_day, other.id) < std::tie(p.paid_day, p.id)) {
        paid_before += other.amount;
      }
    }
    const Supplier* supplier = nullptr;
    if (invoice != nullptr) {
      auto s = suppliers_.find(invoice->supplier_id);
      if (s != suppliers_.end()) supplier = &s->second;
    }
    append(check_payment(p, invoice, paid_before, supplier));
    payments_[p.invoice_id].push_back(p);
  }
  void on(const CustomerOrder& o, int64_t) {
    if (auto a = outliers_.observe(o)) alerts_.push_back(std::move(*a));
    if (auto a = velocity_.observe(o)) alerts_.push_back(std::move(*a));
  }

  DuplicateInvoiceDetector duplicates_;
  SplitInvoiceDetector splits_;
  RoundAmountDetector round_;
  BenfordDetector benford_;
  OrderOutlierDetector outliers_;
  OrderVelocityDetector velocity_;
  std::map<std::string, Supplier> suppliers_;
  std::map<std::string, PurchaseOrder> orders_;
  std::map<std::string, std::vector<GoodsReceipt>> receipts_;
  std::map<std::string, std::vector<Invoice>> by_order_;
  std::map<std::string, Invoice> invoices_;
  std::map<std::string, std::vector<Payment>> payments_;
  std::vector<Alert> alerts_;
};

std::vector<Alert> run_detectors(const FinanceDataset& data) {
  ShardModel shard;
  for (const FinanceRecord& r : data.records) shard.feed(r);
  return shard.finish();
}

struct RuleScore {
  size_t alerts = 0, true_alerts = 0, cases = 0, found = 0;
  double precision() const { return alerts == 0 ? 1.0 : double(true_alerts) / double(alerts); }
  double recall() const { return cases == 0 ? 1.0 : double(found) / double(cases); }
};

// An alert is true when it names an id labelled for its rule (a case or a side effect); a case
// is found when an alert of its rule names one of its ids.
void score(const std::vector<Alert>& alerts, const FinanceLabels& labels,
           std::map<std::string, RuleScore>* out) {
  std::map<std::string, std::set<std::string>> labelled, named;
  for (const auto& [rule, cases] : labels.cases) {
    for (const auto& c : cases) labelled[rule].insert(c.begin(), c.end());
    (*out)[rule].cases += cases.size();
  }
  for (const auto& [rule, ids] : labels.also) labelled[rule].insert(ids.begin(), ids.end());
  for (const Alert& a : alerts) {
    RuleScore& s = (*out)[a.rule_id];
    ++s.alerts;
    const std::set<std::string>& truth = labelled[a.rule_id];
    bool hit = std::any_of(a.evidence_ids.begin(), a.evidence_ids.end(),
                           [&](const std::string& id) { return truth.count(id) > 0; });
    s.true_alerts += hit ? 1 : 0;
    named[a.rule_id].insert(a.evidence_ids.begin(), a.evidence_ids.end());
  }
  for (const auto& [rule, cases] : labels.cases) {
    for (const auto& c : cases) {
      bool found = std::any_of(c.begin(), c.end(),
                               [&](const std::string& id) { return named[rule].count(id) > 0; });
      (*out)[rule].found += found ? 1 : 0;
    }
  }
}

TEST(FinanceGenerated, JsonParsesBackToTheSameStructs) {
  FinanceGeneratorOptions options;
  options.days = 120;
  options.suppliers = 8;
  options.customers = 10;
  options.rates.duplicate_invoice = options.rates.near_duplicate_number = 0.2;
  options.rates.bank_account_change = 1.0;
  FinanceDataset data = FinanceGenerator(options).generate();
  ASSERT_GT(data.records.size(), 500u);
  FinanceEventParser parser;
  std::set<size_t> types;
  for (const FinanceRecord& r : data.records) {
    std::string line = finance_event_json(r.event);
    FinanceEvent back;
    Status s = parser.parse(line, std::nullopt, &back);
    ASSERT_TRUE(s) << line << ": " << s.to_string();
    ASSERT_TRUE(back == r.event) << line;
    types.insert(r.event.index());
  }
  EXPECT_EQ(types.size(), std::variant_size_v<FinanceEvent>);
}

TEST(FinanceGenerated, DeterministicPerSeedAndInArrivalOrder) {
  FinanceGeneratorOptions options;
  options.days = 90;
  options.suppliers = 5;
  options.customers = 5;
  auto lines = [&](uint64_t seed) {
    options.seed = seed;
    std::vector<std::string> out;
    FinanceDataset data = FinanceGenerator(options).generate();
    for (size_t i = 0; i < data.records.size(); ++i) {
      if (i > 0) {
        EXPECT_LE(data.records[i - 1].arrival_ms, data.records[i].arrival_ms);
      }
      out.push_back(finance_event_json(data.records[i].event));
    }
    return out;
  };
  EXPECT_EQ(lines(5), lines(5));
  EXPECT_NE(lines(5), lines(6));
}

TEST(FinanceGenerated, PrecisionAndRecallPerRuleAtDefaultRates) {
  std::map<std::string, RuleScore> scores;
  for (uint64_t seed : {1, 2, 3, 4}) {
    FinanceGeneratorOptions options;
    options.seed = seed;
    FinanceDataset data = FinanceGenerator(options).generate();
    score(run_detectors(data), data.labels, &scores);
  }
  std::printf("%-32s %9s %9s %9s\n", "rule (4 seeds)", "cases", "precision", "recall");
  for (const auto& [rule, s] : scores) {
    std::printf("%-32s %9zu %4zu/%-4zu %4zu/%-4zu\n", rule.c_str(), s.cases, s.true_alerts,
                s.alerts, s.found, s.cases);
  }
  for (const char* rule : kInjectedRules) {
    const RuleScore& s = scores[rule];
    EXPECT_GE(s.cases, 8u) << rule;
    EXPECT_GE(s.precision(), 0.9) << rule;
    EXPECT_GE(s.recall(), 0.9) << rule;
  }
  for (const auto& [rule, s] : scores) {
    if (s.cases == 0) {
      EXPECT_EQ(s.alerts, 0u) << rule << " fired without an injected case";
    }
  }
}

TEST(FinanceGenerated, CleanDataRaisesNoAlert) {
  size_t records = 0;
  std::map<std::string, size_t> by_rule;
  for (uint64_t seed : {101, 102, 103}) {
    FinanceGeneratorOptions options;
    options.seed = seed;
    options.suppliers = 60;
    options.customers = 150;
    options.rates = FinanceAnomalyRates::none();
    FinanceDataset data = FinanceGenerator(options).generate();
    EXPECT_TRUE(data.labels.cases.empty());
    records += data.records.size();
    for (const Alert& a : run_detectors(data)) {
      if (++by_rule[a.rule_id] <= 3) ADD_FAILURE() << a.rule_id << ": " << a.message;
    }
  }
  std::printf("clean data: %zu records, %zu rules fired\n", records, by_rule.size());
  EXPECT_TRUE(by_rule.empty());
  EXPECT_GT(records, 100'000u);
}

}  // namespace
