// The finance generator and the fraud detectors together: generated JSON parses back to the
// same structs; every detector, fed in arrival order through the engine's FinanceLedger, reaches
// precision and recall >= 0.9 per rule against the generator's labels; clean data gives no
// alert at all. The measured figures are printed and recorded in docs/FINANCE.md.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analytics/finance_ledger.h"
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

// The engine's finance ledger, fed one record at a time in arrival order as the finance shard
// feeds it; its alerts are the event alerts plus the standing ones (round amounts, Benford) that
// hold at the end.
std::vector<Alert> run_detectors(const FinanceDataset& data) {
  FinanceLedger ledger;
  uint64_t offset = 0;
  for (const FinanceRecord& r : data.records) ledger.apply(r.event, r.arrival_ms, offset++);
  std::vector<Alert> out;
  for (LedgerAlert& a : ledger.alerts(AlertFilter{.limit = SIZE_MAX}).alerts) {
    out.push_back(std::move(a.alert));
  }
  return out;
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

// Catalog ids only rename products: catalog product k becomes supplier (k mod suppliers)'s
// product (k div suppliers), every other record and label stays the same, and the ledger then
// finds each catalog product's supplier and its lead time.
TEST(FinanceGenerated, CatalogIdsOnlyRenameProducts) {
  FinanceGeneratorOptions options;
  options.days = 150;
  options.suppliers = 5;
  options.customers = 5;
  const FinanceDataset plain = FinanceGenerator(options).generate();
  for (int64_t id = 101; id <= 112; ++id) options.catalog_product_ids.push_back(id);
  const FinanceDataset named = FinanceGenerator(options).generate();
  ASSERT_EQ(plain.records.size(), named.records.size());
  EXPECT_EQ(plain.labels.cases, named.labels.cases);
  std::map<std::string, std::string> rename;  // "P-S002-03" -> its catalog id
  for (size_t k = 0; k < 12; ++k) {
    rename[fmt::format("\"P-S{:03d}-{:02d}\"", k % 5 + 1, k / 5 + 1)] =
        fmt::format("\"{}\"", 101 + k);
  }
  FinanceLedger ledger;
  for (size_t i = 0; i < plain.records.size(); ++i) {
    std::string expected = finance_event_json(plain.records[i].event);
    for (const auto& [from, to] : rename) {
      for (size_t at = expected.find(from); at != std::string::npos; at = expected.find(from)) {
        expected.replace(at, from.size(), to);
      }
    }
    ASSERT_EQ(finance_event_json(named.records[i].event), expected) << i;
    ledger.apply(named.records[i].event, named.records[i].arrival_ms, i);
  }
  std::map<std::string, ProductLeadTime> lead = ledger.product_lead_times();
  std::map<std::string, int32_t> supplier_lead;
  for (const FinanceRecord& r : named.records) {
    if (auto* s = std::get_if<finance::Supplier>(&r.event))
      supplier_lead[s->id] = s->lead_time_days;
  }
  std::set<std::string> ordered;  // catalog ids some purchase order names
  for (const FinanceRecord& r : named.records) {
    if (auto* po = std::get_if<finance::PurchaseOrder>(&r.event)) {
      for (const auto& line : po->lines) ordered.insert(line.product_id);
    }
  }
  size_t found = 0;
  for (size_t k = 0; k < 12; ++k) {
    const std::string id = std::to_string(101 + k);
    ASSERT_EQ(lead.count(id), ordered.count(id)) << id;
    if (!ordered.count(id)) continue;
    found += 1;
    EXPECT_EQ(lead.at(id).supplier_id, fmt::format("S{:03d}", k % 5 + 1)) << id;
    EXPECT_EQ(lead.at(id).lead_time_days, supplier_lead.at(lead.at(id).supplier_id)) << id;
  }
  EXPECT_GE(found, 6u);
}
