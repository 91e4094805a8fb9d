#pragma once
// Suspected-fraud patterns in the DataCo order lines (issue 7 "DataCo suspected-fraud
// patterns"), as standing alerts beside the finance ledger's: DataCo marks orders
// SUSPECTED_FRAUD itself; these rules point at where such orders concentrate.
//   dataco_fraud_payment_type / dataco_fraud_market (warning): a payment type or market with at
//     least min_orders orders whose suspected-fraud share is at least concentration x the share
//     over all orders (and above it by min_excess);
//   dataco_fraud_customer (warning; critical from critical_share): a customer with at least
//     min_customer_fraud_orders suspected-fraud orders.
// Derived from the merged marts at read time, so they carry no sequence number (seq 0) and
// follow the data as it streams in; the Kafka sink produces them when they appear and the
// warehouse mirrors them into finance_alerts, both under the identity below. Pure functions;
// any thread.
#include <cstdint>
#include <string>
#include <vector>

#include "analytics/dataco_marts.h"
#include "analytics/finance_ledger.h"

namespace ledgerflow {

struct DatacoFraudParams {
  int64_t min_orders = 100;
  double concentration = 2.0;
  double min_excess = 0.01;
  int64_t min_customer_fraud_orders = 2;
  double critical_share = 0.5;
  size_t max_customer_alerts = 1000;  // the customers with most suspected-fraud orders
};

// Groups first (payment types, then markets, by name), then customers (most suspected-fraud
// orders first, then customer id).
std::vector<LedgerAlert> dataco_fraud_alerts(const DatacoSummary& s, const DatacoFraudParams& p);

// A pattern's identity outside the API (docs/KAFKA.md, docs/WAREHOUSE.md): its rule and subject,
// which stay the same while the pattern holds. The Kafka key is "dataco-<rule_id>-<subject>"
// (the ledger's are "finance-<seq>"); the warehouse's finance_alerts seq is negative, from a
// 63-bit hash of that key, where the ledger's seqs count up from 1, so the two never collide.
std::string dataco_alert_key(const LedgerAlert& a);
int64_t dataco_alert_seq(const LedgerAlert& a);

}  // namespace ledgerflow
