// DataCo suspected-fraud patterns as standing alerts, on a summary whose figures are set by hand.
#include <gtest/gtest.h>

#include "analytics/dataco_fraud_alerts.h"

using namespace ledgerflow;

TEST(DatacoFraudAlerts, ConcentrationsAndCustomersByHand) {
  DatacoSummary s;
  // Over all orders: 50 suspected of 550 = 9.09 %. Flagged: at least 2 x 9.09 % = 18.18 %.
  s.fraud_by_type["TRANSFER"] = {200, 40};  // 20 %: flagged
  s.fraud_by_type["DEBIT"] = {300, 0};
  s.fraud_by_type["CASH"] = {50, 10};       // 20 % but under 100 orders: not judged
  s.fraud_by_market["Europe"] = {300, 45};  // 15 %: under 18.18 %
  s.fraud_by_market["LATAM"] = {250, 5};
  s.customers[7] = {4, 3, Money::from_units(100)};     // 75 %: critical
  s.customers[8] = {10, 2, Money::from_units(500)};    // 20 %: warning
  s.customers[9] = {1, 1, Money::from_units(10)};      // one order only: below 2
  s.lines.max_order_time_ms = 17'532 * kMsPerDay + 5;  // 2018-01-01
  std::vector<LedgerAlert> alerts = dataco_fraud_alerts(s, DatacoFraudParams{});
  ASSERT_EQ(alerts.size(), 3u);
  EXPECT_EQ(alerts[0].alert.rule_id, "dataco_fraud_payment_type");
  EXPECT_EQ(alerts[0].subject, "TRANSFER");
  EXPECT_EQ(alerts[0].alert.message,
            "40 of 200 orders paid by TRANSFER (20.0 %) are marked SUSPECTED_FRAUD, against 9.1 % "
            "over all orders.");
  EXPECT_TRUE(alerts[0].standing);
  EXPECT_EQ(alerts[0].seq, 0u);
  EXPECT_EQ(alerts[0].day, 17'532);
  EXPECT_EQ(alerts[1].subject, "7");  // most suspected-fraud orders first
  EXPECT_EQ(alerts[1].alert.severity, finance::Severity::kCritical);
  EXPECT_DOUBLE_EQ(alerts[1].alert.score, 0.75);
  EXPECT_EQ(alerts[2].subject, "8");
  EXPECT_EQ(alerts[2].alert.severity, finance::Severity::kWarning);
  // Tighter and looser parameters.
  DatacoFraudParams p;
  p.min_orders = 10;  // CASH is judged now
  p.max_customer_alerts = 1;
  alerts = dataco_fraud_alerts(s, p);
  ASSERT_EQ(alerts.size(), 3u);
  EXPECT_EQ(alerts[0].subject, "CASH");
  EXPECT_EQ(alerts[1].subject, "TRANSFER");
  EXPECT_EQ(alerts[2].subject, "7");
  EXPECT_TRUE(dataco_fraud_alerts(DatacoSummary{}, p).empty());
}
