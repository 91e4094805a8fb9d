// Payment terms, early payment and its optimizer, aging, working capital and reorder. Expected
// values are worked by hand in the comments or computed by brute force here, never taken from the
// code under test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "finance/aging.h"
#include "finance/early_payment.h"
#include "finance/early_payment_optimizer.h"
#include "finance/payment_terms.h"
#include "finance/reorder.h"
#include "finance/working_capital.h"

using ledgerflow::Money;
using namespace ledgerflow::finance;

namespace {

PaymentTerms terms(const char* text) {
  auto t = PaymentTerms::parse(text);
  EXPECT_TRUE(t.is_ok()) << text << ": " << t.status().to_string();
  return t.is_ok() ? t.value() : PaymentTerms{};
}

Money units(int64_t u) {
  return Money::from_units(u);
}

}  // namespace

TEST(FinanceTerms, ParsesTheCommonForms) {
  struct Case {
    const char* text;
    int64_t ppm;  // percent x 10'000
    int32_t discount_days;
    int32_t net_days;
  };
  for (const Case& c :
       {Case{"2/10 net 30", 20'000, 10, 30}, Case{"1.5/15 net 45", 15'000, 15, 45},
        Case{"net 45", 0, 0, 45}, Case{"NET30", 0, 0, 30}, Case{"2/10 n/30", 20'000, 10, 30},
        Case{"  2 / 10 ,  Net   30 ", 20'000, 10, 30}, Case{"2%/10 NET 30", 20'000, 10, 30},
        // 0.0125 % = 125 ppm: four fraction digits are exact
        Case{"0.0125/10 net 60", 125, 10, 60}}) {
    PaymentTerms t = terms(c.text);
    EXPECT_EQ(t.discount_ppm, c.ppm) << c.text;
    EXPECT_EQ(t.discount_days, c.discount_days) << c.text;
    EXPECT_EQ(t.net_days, c.net_days) << c.text;
    EXPECT_EQ(t.has_discount(), c.ppm > 0) << c.text;
  }
}

TEST(FinanceTerms, RefusesAnythingElse) {
  for (const char* bad : {"",
                          "net",
                          "30",
                          "2/10",
                          "2/10 net",
                          "net 0",
                          "net -5",
                          "2/30 net 30",
                          "2/40 net 30",
                          "0/10 net 30",
                          "50/10 net 30",
                          "2.5.1/10 net 30",
                          "2./10 net 30",
                          "0.00001/10 net 30",
                          "2/10 net 30 extra",
                          "net 3651",
                          "net 1234567",
                          "2/10 net 30 net 60",
                          "due on receipt",
                          "1e2/10 net 30"}) {
    auto t = PaymentTerms::parse(bad);
    EXPECT_FALSE(t.is_ok()) << bad;
    if (!t.is_ok()) {
      EXPECT_EQ(t.status().code(), "invalid_terms") << bad;
    }
  }
}

TEST(FinanceTerms, LengthLimit) {
  std::string at_limit = "net 30" + std::string(PaymentTerms::kMaxTextLength - 6, ' ');
  EXPECT_TRUE(PaymentTerms::parse(at_limit).is_ok());
  EXPECT_FALSE(PaymentTerms::parse(at_limit + " ").is_ok());
  EXPECT_FALSE(PaymentTerms::parse(std::string(100000, '1')).is_ok());
}

TEST(FinanceTerms, RandomTextNeverCrashesAndRoundTrips) {
  // Random strings from the characters the grammar uses: whatever parses must satisfy the
  // documented ranges.
  std::mt19937_64 rng(17);
  const std::string alphabet = "0123456789./%, nNeEtT";
  size_t accepted = 0;
  for (int k = 0; k < 50'000; ++k) {
    std::string text(rng() % 16, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    auto t = PaymentTerms::parse(text);
    if (!t.is_ok()) {
      EXPECT_EQ(t.status().code(), "invalid_terms");
      continue;
    }
    ++accepted;
    EXPECT_GT(t->net_days, 0) << text;
    EXPECT_LE(t->net_days, PaymentTerms::kMaxDays) << text;
    EXPECT_GE(t->discount_ppm, 0) << text;
    EXPECT_LT(t->discount_ppm, PaymentTerms::kRateScale / 2) << text;
    EXPECT_TRUE(!t->has_discount() || t->discount_days < t->net_days) << text;
  }
  EXPECT_GT(accepted, 0u);
}

TEST(FinanceTerms, DeadlinesFromTheIssueDay) {
  PaymentTerms t = terms("2/10 net 30");
  const int64_t issue = 20'514;  // 2026-03-01
  EXPECT_EQ(t.discount_deadline_day(issue), issue + 10);
  EXPECT_EQ(t.due_day(issue), issue + 30);
  EXPECT_TRUE(t.discount_open(issue, issue + 10));  // the tenth day still counts
  EXPECT_FALSE(t.discount_open(issue, issue + 11));
  EXPECT_FALSE(terms("net 30").discount_open(issue, issue));
  // 2026-03-01T23:59:59.999Z is day 20513 + 1; one ms later is the next day.
  EXPECT_EQ(day_of_ms(20'514LL * 86'400'000 + 86'399'999), 20'514);
  EXPECT_EQ(day_of_ms(20'515LL * 86'400'000), 20'515);
  EXPECT_EQ(day_of_ms(-1), -1);
}

TEST(FinanceEarlyPayment, TwoTenNetThirtyReturns) {
  PaymentTerms t = terms("2/10 net 30");
  // d/(1-d) = 0.02/0.98 = 0.0204081633; x 365/20 = 18.25 -> 0.3724489796 = 37.24 %.
  EXPECT_NEAR(simple_annual_return(t), 0.3724489796, 1e-9);
  EXPECT_EQ(std::round(simple_annual_return(t) * 10'000), 3724);
  // (1.0204081633)^18.25 - 1 = exp(18.25 x 0.0202027073) - 1 = exp(0.3686994) - 1 = 0.445858.
  EXPECT_NEAR(compound_annual_return(t), 0.445858, 1e-5);
  EXPECT_EQ(std::round(compound_annual_return(t) * 10'000), 4459);
  // 1/10 net 30: 0.01/0.99 x 365/20 = 0.18434343.
  EXPECT_NEAR(simple_annual_return(terms("1/10 net 30")), 0.1843434343, 1e-9);
  EXPECT_EQ(simple_annual_return(terms("net 30")), 0);
}

TEST(FinanceEarlyPayment, DiscountAmountIsExactAndRoundsHalfAwayFromZero) {
  EXPECT_EQ(discount_amount(Money::parse("1250.00").value(), 20'000).micros(), 25'000'000);
  // 1.5 % of 99.99 = 1.49985 exactly.
  EXPECT_EQ(discount_amount(Money::parse("99.99").value(), 15'000).micros(), 1'499'850);
  // 25 micros x 2 % = 0.5 micro -> 1; 24 micros -> 0.48 -> 0; negatives mirror.
  EXPECT_EQ(discount_amount(Money::from_micros(25), 20'000).micros(), 1);
  EXPECT_EQ(discount_amount(Money::from_micros(24), 20'000).micros(), 0);
  EXPECT_EQ(discount_amount(Money::from_micros(-25), 20'000).micros(), -1);
  // Near the top of the range the intermediate product does not overflow.
  EXPECT_EQ(discount_amount(Money::from_micros(9'000'000'000'000'000'000), 20'000).micros(),
            180'000'000'000'000'000);
}

TEST(FinanceEarlyPayment, OpportunityAsOfADay) {
  OpenInvoice inv{"INV-1", "S1", Money::parse("1250.00").value(), terms("2/10 net 30"), 100};
  auto o = evaluate_early_payment(inv, 105);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->discount.micros(), 25'000'000);
  EXPECT_EQ(o->pay_now.micros(), 1'225'000'000);
  EXPECT_EQ(o->days_gained, 20);
  EXPECT_EQ(o->discount_deadline_day, 110);
  EXPECT_EQ(o->due_day, 130);
  EXPECT_TRUE(evaluate_early_payment(inv, 110).has_value());
  EXPECT_FALSE(evaluate_early_payment(inv, 111).has_value());
  inv.terms = terms("net 30");
  EXPECT_FALSE(evaluate_early_payment(inv, 100).has_value());
  inv.terms = terms("2/10 net 30");
  inv.amount = Money();
  EXPECT_FALSE(evaluate_early_payment(inv, 100).has_value());
}

TEST(FinanceEarlyPayment, RankingIsByReturnThenDiscountThenId) {
  std::vector<OpenInvoice> invs = {
      {"C", "S", units(100), terms("1/10 net 30"), 0},    // 18.43 %
      {"B", "S", units(100), terms("2/10 net 30"), 0},    // 37.24 %, discount 2
      {"A", "S", units(200), terms("2/10 net 30"), 0},    // 37.24 %, discount 4
      {"D", "S", units(100), terms("2/10 net 30"), 0},    // ties B exactly: id decides
      {"E", "S", units(100), terms("net 30"), 0},         // no discount: left out
      {"F", "S", units(100), terms("2/10 net 30"), -20},  // deadline passed: left out
  };
  auto ranked = rank_early_payments(invs, 0);
  std::vector<std::string> ids;
  for (const auto& o : ranked) ids.push_back(o.invoice_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"A", "B", "D", "C"}));
}

namespace {

EarlyPaymentOpportunity opp(std::string id, int64_t pay_now, int64_t discount,
                            double annual = 0.30) {
  EarlyPaymentOpportunity o;
  o.invoice_id = std::move(id);
  o.pay_now = Money::from_micros(pay_now);
  o.discount = Money::from_micros(discount);
  o.amount = o.pay_now + o.discount;
  o.simple_annual_return = annual;
  return o;
}

// Every subset, for comparison with the solver.
int64_t brute_force_best(const std::vector<EarlyPaymentOpportunity>& ops, int64_t budget,
                         double hurdle) {
  int64_t best = 0;
  for (uint32_t mask = 0; mask < (1u << ops.size()); ++mask) {
    int64_t cash = 0, saved = 0;
    for (size_t i = 0; i < ops.size(); ++i) {
      if (!((mask >> i) & 1)) continue;
      if (ops[i].simple_annual_return < hurdle) {
        cash = budget + 1;
        break;
      }
      cash += ops[i].pay_now.micros();
      saved += ops[i].discount.micros();
    }
    if (cash <= budget && saved > best) best = saved;
  }
  return best;
}

void expect_consistent(const EarlyPaymentPlan& plan,
                       const std::vector<EarlyPaymentOpportunity>& ops, int64_t budget) {
  int64_t cash = 0, saved = 0;
  for (const auto& id : plan.invoice_ids) {
    for (const auto& o : ops) {
      if (o.invoice_id != id) continue;
      cash += o.pay_now.micros();
      saved += o.discount.micros();
    }
  }
  EXPECT_LE(cash, budget);
  EXPECT_EQ(cash, plan.cash_needed.micros());
  EXPECT_EQ(saved, plan.savings.micros());
}

std::vector<EarlyPaymentOpportunity> random_ops(std::mt19937_64& rng, size_t n) {
  std::vector<EarlyPaymentOpportunity> ops;
  std::uniform_int_distribution<int64_t> amount(1, 5'000);
  std::uniform_int_distribution<int> rate_bp(10, 400);
  std::uniform_real_distribution<double> annual(0.0, 0.6);
  for (size_t i = 0; i < n; ++i) {
    int64_t a = amount(rng) * 1'000'000;
    int64_t d = a * rate_bp(rng) / 10'000;
    ops.push_back(opp("I" + std::to_string(i), a - d, d, annual(rng)));
  }
  return ops;
}

struct Instance {
  std::vector<EarlyPaymentOpportunity> ops;
  int64_t budget = 0;
};

// 1 to 14 invoices (brute force stays cheap) and a budget up to 20,000 units.
Instance random_small_instance(std::mt19937_64& rng) {
  Instance in;
  in.ops = random_ops(rng, 1 + rng() % 14);
  in.budget = int64_t(rng() % 20'000) * 1'000'000;
  return in;
}

}  // namespace

TEST(FinanceOptimizer, SmallHandExample) {
  // Budget 100: {60 saves 6, 50 saves 4, 50 saves 4}. Greedy by ratio takes 60 (0.1) and then
  // nothing fits; the optimum is the two 50s, saving 8.
  std::vector<EarlyPaymentOpportunity> ops = {opp("A", 60, 6), opp("B", 50, 4), opp("C", 50, 4)};
  auto plan = plan_early_payments(ops, Money::from_micros(100), 0.1);
  EXPECT_TRUE(plan.exact);
  EXPECT_EQ(plan.savings.micros(), 8);
  EXPECT_EQ(plan.cash_needed.micros(), 100);
  EXPECT_EQ(plan.invoice_ids, (std::vector<std::string>{"B", "C"}));
  EXPECT_EQ(plan.upper_bound.micros(), 8);

  // Forced heuristic on the same data: greedy gets 6; the LP bound is 6 + 4 x 40/50 = 9.2 -> 10
  // rounded up to the micro.
  auto heur = plan_early_payments(ops, Money::from_micros(100), 0.1, 0);
  EXPECT_FALSE(heur.exact);
  EXPECT_EQ(heur.savings.micros(), 6);
  EXPECT_EQ(heur.upper_bound.micros(), 10);
}

TEST(FinanceOptimizer, HurdleAndBudgetFilter) {
  std::vector<EarlyPaymentOpportunity> ops = {opp("low", 10, 5, 0.05), opp("ok", 10, 1, 0.10),
                                              opp("big", 1'000, 100, 0.5)};
  auto plan = plan_early_payments(ops, Money::from_micros(100), 0.10);
  // "low" is under the hurdle, "big" alone exceeds the budget; exactly at the hurdle counts.
  EXPECT_EQ(plan.candidates, 1u);
  EXPECT_EQ(plan.invoice_ids, (std::vector<std::string>{"ok"}));
  auto none = plan_early_payments(ops, Money(), 0.0);
  EXPECT_TRUE(none.invoice_ids.empty());
  EXPECT_EQ(none.savings.micros(), 0);
}

TEST(FinanceOptimizer, ExactMatchesBruteForceOnRandomInstances) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    auto [ops, budget] = random_small_instance(rng);
    auto plan = plan_early_payments(ops, Money::from_micros(budget), 0.2);
    ASSERT_TRUE(plan.exact);
    EXPECT_EQ(plan.savings.micros(), brute_force_best(ops, budget, 0.2)) << "round " << round;
    expect_consistent(plan, ops, budget);
  }
}

TEST(FinanceOptimizer, ExactAtTheLimitOfTwentyFive) {
  std::mt19937_64 rng(11);
  auto ops = random_ops(rng, 25);
  for (auto& o : ops) o.simple_annual_return = 0.5;
  int64_t budget = 20'000'000'000;
  auto plan = plan_early_payments(ops, Money::from_micros(budget), 0.1);
  EXPECT_TRUE(plan.exact);
  EXPECT_EQ(plan.candidates, 25u);
  expect_consistent(plan, ops, budget);
  // The exact plan is never worse than the heuristic and never above the LP bound.
  auto heur = plan_early_payments(ops, Money::from_micros(budget), 0.1, 0);
  EXPECT_GE(plan.savings, heur.savings);
  EXPECT_LE(plan.savings, heur.upper_bound);
  ops.push_back(opp("extra", 1'000'000, 10'000, 0.5));
  EXPECT_FALSE(plan_early_payments(ops, Money::from_micros(budget), 0.1).exact);
}

TEST(FinanceOptimizer, HeuristicIsWithinItsBoundAndAtLeastHalfOfIt) {
  std::mt19937_64 rng(13);
  for (int round = 0; round < 100; ++round) {
    auto [ops, budget] = random_small_instance(rng);
    auto heur = plan_early_payments(ops, Money::from_micros(budget), 0.0, 0);
    int64_t best = brute_force_best(ops, budget, 0.0);
    EXPECT_LE(heur.savings.micros(), best);
    EXPECT_GE(heur.upper_bound.micros(), best);  // a true bound on the optimum
    EXPECT_GE(2 * heur.savings.micros(), heur.upper_bound.micros() - 1) << "round " << round;
    expect_consistent(heur, ops, budget);
  }
  // Large instances: the same guarantees without brute force.
  for (int round = 0; round < 20; ++round) {
    auto ops = random_ops(rng, 2'000);
    int64_t budget = int64_t(rng() % 2'000'000) * 1'000'000;
    auto heur = plan_early_payments(ops, Money::from_micros(budget), 0.2);
    EXPECT_FALSE(heur.exact);
    EXPECT_LE(heur.savings, heur.upper_bound);
    EXPECT_GE(2 * heur.savings.micros(), heur.upper_bound.micros() - 1);
    expect_consistent(heur, ops, budget);
  }
}

// ---------------------------------------------------------------------------------------------
// Aging and payment delay

TEST(FinanceAging, BucketBoundaries) {
  EXPECT_EQ(aging_bucket_of(-5), kCurrent);
  EXPECT_EQ(aging_bucket_of(0), kCurrent);
  EXPECT_EQ(aging_bucket_of(1), kPastDue1To30);
  EXPECT_EQ(aging_bucket_of(30), kPastDue1To30);
  EXPECT_EQ(aging_bucket_of(31), kPastDue31To60);
  EXPECT_EQ(aging_bucket_of(60), kPastDue31To60);
  EXPECT_EQ(aging_bucket_of(61), kPastDue61To90);
  EXPECT_EQ(aging_bucket_of(90), kPastDue61To90);
  EXPECT_EQ(aging_bucket_of(91), kPastDueOver90);
  EXPECT_STREQ(aging_bucket_label(kPastDueOver90), "90+");
}

TEST(FinanceAging, ExactSumsPerCounterpartyAndTotal) {
  auto m = [](const char* s) { return Money::parse(s).value(); };
  std::vector<OpenItem> items = {
      {"S1", m("100.00"), 100}, {"S1", m("50.25"), 99}, {"S1", m("10"), 70},
      {"S2", m("20"), 69},      {"S2", m("30"), 40},    {"S2", m("40"), 39},
      {"S2", m("5"), 10},       {"S2", m("7"), 9},      {"S1", m("1"), 200},
  };
  auto r = age_open_items(items, 100);
  ASSERT_TRUE(r.is_ok());
  // S1: 0 and -100 days -> current 101.00; 1 and 30 days -> 1-30: 60.25.
  const AgingBuckets& s1 = r->by_counterparty.at("S1");
  EXPECT_EQ(s1.amount[kCurrent], m("101"));
  EXPECT_EQ(s1.count[kCurrent], 2);
  EXPECT_EQ(s1.amount[kPastDue1To30], m("60.25"));
  EXPECT_EQ(s1.total, m("161.25"));
  // S2: 31 and 60 days -> 50; 61 and 90 -> 45; 91 -> 7.
  const AgingBuckets& s2 = r->by_counterparty.at("S2");
  EXPECT_EQ(s2.amount[kPastDue31To60], m("50"));
  EXPECT_EQ(s2.amount[kPastDue61To90], m("45"));
  EXPECT_EQ(s2.amount[kPastDueOver90], m("7"));
  EXPECT_EQ(s2.count[kPastDueOver90], 1);
  EXPECT_EQ(s2.total, m("102"));
  EXPECT_EQ(r->total.total, m("263.25"));
  EXPECT_EQ(r->total.amount[kPastDue1To30], m("60.25"));

  // Input order does not matter.
  std::reverse(items.begin(), items.end());
  EXPECT_EQ(age_open_items(items, 100)->total.amount, r->total.amount);
}

TEST(FinanceAging, OverflowIsBadInputNotWrapped) {
  std::vector<OpenItem> items = {{"S", Money::from_micros(INT64_MAX), 0},
                                 {"S", Money::from_micros(1), 0}};
  auto r = age_open_items(items, 0);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), "out_of_range");
}

TEST(FinanceAging, PaymentDelayMeanAndNearestRankP90) {
  std::vector<SettledItem> items;
  // S1 delays -2, 0, 5, 3, 10, 1, 4, 2, 7, 20: sum 50 -> mean 5; sorted
  // -2 0 1 2 3 4 5 7 10 20, rank ceil(0.9 x 10) = 9 -> 10.
  for (int64_t d : {-2, 0, 5, 3, 10, 1, 4, 2, 7, 20}) items.push_back({"S1", 1'000, 1'000 + d});
  items.push_back({"S2", 50, 53});  // a single delay is its own p90
  // S3 delays 1..11: mean 6, rank ceil(9.9) = 10 -> 10.
  for (int64_t d = 11; d >= 1; --d) items.push_back({"S3", 0, d});
  // S4 delays 1..20: rank 18.
  for (int64_t d = 1; d <= 20; ++d) items.push_back({"S4", 0, d});
  auto stats = payment_delay_by_counterparty(items);
  EXPECT_EQ(stats.at("S1").count, 10);
  EXPECT_DOUBLE_EQ(stats.at("S1").mean_days, 5.0);
  EXPECT_EQ(stats.at("S1").p90_days, 10);
  EXPECT_EQ(stats.at("S2").p90_days, 3);
  EXPECT_DOUBLE_EQ(stats.at("S2").mean_days, 3.0);
  EXPECT_DOUBLE_EQ(stats.at("S3").mean_days, 6.0);
  EXPECT_EQ(stats.at("S3").p90_days, 10);
  EXPECT_EQ(stats.at("S4").p90_days, 18);
}

// ---------------------------------------------------------------------------------------------
// Working capital

TEST(FinanceWorkingCapital, DaysAndCycle) {
  WorkingCapitalInputs in;
  in.window_days = 365;
  in.revenue = units(1'000'000);
  in.cogs = units(600'000);
  in.purchases = units(730'000);
  in.average_receivables = units(100'000);
  in.average_inventory = units(90'000);
  in.average_payables = units(60'000);
  auto d = working_capital_days(in);
  EXPECT_DOUBLE_EQ(*d.dso, 36.5);   // 100k / 1M x 365
  EXPECT_DOUBLE_EQ(*d.dio, 54.75);  // 90k / 600k x 365
  EXPECT_DOUBLE_EQ(*d.dpo, 36.5);   // 60k / 600k x 365
  EXPECT_DOUBLE_EQ(*d.ccc, 54.75);  // 54.75 + 36.5 - 36.5
  in.dpo_basis = DpoBasis::kPurchases;
  d = working_capital_days(in);
  EXPECT_DOUBLE_EQ(*d.dpo, 30.0);   // 60k / 730k x 365
  EXPECT_DOUBLE_EQ(*d.ccc, 61.25);  // 54.75 + 36.5 - 30
  in.window_days = 90;
  in.revenue = units(300'000);
  EXPECT_DOUBLE_EQ(*working_capital_days(in).dso, 30.0);  // 100k / 300k x 90
}

TEST(FinanceWorkingCapital, ZeroDenominatorsAreNotDefined) {
  WorkingCapitalInputs in;
  in.average_receivables = units(10);
  in.average_inventory = units(10);
  in.average_payables = units(10);
  in.cogs = units(100);
  auto d = working_capital_days(in);  // no revenue
  EXPECT_FALSE(d.dso.has_value());
  EXPECT_TRUE(d.dio.has_value());
  EXPECT_FALSE(d.ccc.has_value());
  in.revenue = units(-5);  // net returns exceed sales
  EXPECT_FALSE(working_capital_days(in).dso.has_value());
  in.revenue = units(100);
  in.dpo_basis = DpoBasis::kPurchases;  // purchases are zero
  d = working_capital_days(in);
  EXPECT_FALSE(d.dpo.has_value());
  EXPECT_FALSE(d.ccc.has_value());
  in.window_days = 0;
  EXPECT_FALSE(working_capital_days(in).dio.has_value());
}

// ---------------------------------------------------------------------------------------------
// Reorder

TEST(FinanceReorder, InverseNormalKnownQuantiles) {
  EXPECT_NEAR(inverse_normal_cdf(0.95).value(), 1.644853627, 1e-8);
  EXPECT_NEAR(inverse_normal_cdf(0.99).value(), 2.326347874, 1e-8);
  EXPECT_NEAR(inverse_normal_cdf(0.975).value(), 1.959963985, 1e-8);
  EXPECT_NEAR(inverse_normal_cdf(0.5).value(), 0.0, 1e-12);
  EXPECT_NEAR(inverse_normal_cdf(0.01).value(), -2.326347874, 1e-8);
  EXPECT_NEAR(inverse_normal_cdf(0.999).value(), 3.090232306, 1e-8);
  EXPECT_NEAR(inverse_normal_cdf(1e-6).value(), -4.753424309, 1e-7);
  for (double bad : {0.0, 1.0, -0.1, 1.5, std::nan("")}) {
    EXPECT_FALSE(inverse_normal_cdf(bad).is_ok()) << bad;
  }
}

TEST(FinanceReorder, InverseNormalRoundTripsThroughTheCdf) {
  // Phi(x) = erfc(-x / sqrt 2) / 2 is computed by the C library independently of Acklam.
  for (double p = 0.0005; p < 1; p += 0.0005) {
    double x = inverse_normal_cdf(p).value();
    double back = 0.5 * std::erfc(-x / std::sqrt(2.0));
    EXPECT_NEAR(back, p, 1e-8 * std::max(p, 1e-3)) << p;
  }
}

TEST(FinanceReorder, HandWorkedRecommendation) {
  // Demand 10, 12, 8, 10, 10: mean 10, squared deviations 0+4+4+0+0 = 8, sample variance
  // 8 / 4 = 2, sigma = 1.414214. Lead time 4, z(0.95) = 1.644854:
  // safety stock = 1.6448536 x 2.8284271 = 4.6523486; reorder point = 40 + 4.6523486.
  // EOQ = sqrt(2 x 3650 x 50 / 2) = sqrt(182500) = 427.200187.
  std::vector<double> demand = {10, 12, 8, 10, 10};
  ReorderParams params;
  params.lead_time_days = 4;
  StockPosition pos{45, 0, 1'000};
  auto r = recommend_reorder(demand, params, pos);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_DOUBLE_EQ(r->demand.mean, 10.0);
  EXPECT_NEAR(r->demand.stddev, 1.414213562, 1e-9);
  EXPECT_NEAR(r->safety_stock, 4.6523486, 1e-6);
  EXPECT_NEAR(r->reorder_point, 44.6523486, 1e-6);
  EXPECT_NEAR(*r->eoq, 427.200187, 1e-6);
  EXPECT_DOUBLE_EQ(*r->days_of_supply, 4.5);
  EXPECT_EQ(*r->stockout_day, 1'004);
  EXPECT_FALSE(r->reorder_now);  // 45 > 44.65
  pos.on_hand = 44;
  EXPECT_TRUE(recommend_reorder(demand, params, pos)->reorder_now);
  pos.on_order = 10;  // 54 on hand + on order
  EXPECT_FALSE(recommend_reorder(demand, params, pos)->reorder_now);
}

TEST(FinanceReorder, FiresBeforeTheProjectedStockOut) {
  // Constant demand 10 a day, lead time 5: reorder point 50 (sigma 0). Starting from 200 the
  // stock reaches 50 on day 15 and runs out on day 20, so the order placed on day 15 arrives
  // just in time.
  ReorderParams params;
  params.lead_time_days = 5;
  std::vector<double> demand(30, 10.0);
  std::optional<int64_t> fired;
  for (int64_t day = 0; day <= 20 && !fired; ++day) {
    auto r = recommend_reorder(demand, params, StockPosition{200.0 - 10.0 * double(day), 0, day});
    ASSERT_TRUE(r.is_ok());
    if (r->reorder_now) {
      fired = day;
      EXPECT_EQ(*r->stockout_day, 20);
    }
  }
  ASSERT_TRUE(fired.has_value());
  EXPECT_EQ(*fired, 15);
  // Noisy demand with the same mean: the safety stock makes it fire earlier.
  std::vector<double> noisy;
  for (int i = 0; i < 30; ++i) noisy.push_back(i % 2 ? 14.0 : 6.0);
  auto r = recommend_reorder(noisy, params, StockPosition{60, 0, 14});
  EXPECT_TRUE(r->reorder_now);  // 60 left, 6 days of supply, still fires
}

TEST(FinanceReorder, BadInputAndLimits) {
  ReorderParams params;
  StockPosition pos;
  EXPECT_EQ(recommend_reorder({}, params, pos).status().code(), "no_demand");
  EXPECT_EQ(recommend_reorder({1, -1}, params, pos).status().code(), "invalid_demand");
  EXPECT_EQ(recommend_reorder({1, std::nan("")}, params, pos).status().code(), "invalid_demand");
  std::vector<double> max_days(kMaxDemandSamples, 1.0);
  EXPECT_TRUE(recommend_reorder(max_days, params, pos).is_ok());
  max_days.push_back(1.0);
  EXPECT_EQ(recommend_reorder(max_days, params, pos).status().code(), "too_many_samples");
  params.service_level = 0.4;
  EXPECT_FALSE(recommend_reorder({1}, params, pos).is_ok());
  params.service_level = 0.95;
  params.lead_time_days = -1;
  EXPECT_FALSE(recommend_reorder({1}, params, pos).is_ok());
  params.lead_time_days = 7;
  // One sample: sigma 0 by definition (n - 1 = 0); no demand: no days of supply, EOQ 0.
  auto r = recommend_reorder({0}, params, StockPosition{5, 0, 0});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->demand.stddev, 0);
  EXPECT_FALSE(r->days_of_supply.has_value());
  EXPECT_FALSE(r->stockout_day.has_value());
  EXPECT_FALSE(r->reorder_now);  // 5 > 0
  EXPECT_DOUBLE_EQ(*r->eoq, 0.0);
  params.holding_cost_per_unit_year = Money();
  EXPECT_FALSE(recommend_reorder({1}, params, pos)->eoq.has_value());
  EXPECT_EQ(recommend_reorder({1}, params, StockPosition{INFINITY, 0, 0}).status().code(),
            "invalid_stock");
}
