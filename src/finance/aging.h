#pragma once
// Aging of open payables or receivables and payment-delay statistics per counterparty.
//
// Buckets by days past due (as_of_day - due_day):
//   current: <= 0 (not yet due, or due today) | 1-30 | 31-60 | 61-90 | 90+: 91 days or more.
// Sums are exact Money; a sum that would overflow int64 micro-units is reported as bad input
// rather than wrapped.
//
// Payment delay of a settled item is paid_day - due_day (negative when paid early). Per
// counterparty we report the count, the mean and the 90th percentile by the nearest-rank
// method: sort the n delays ascending and take the value at rank ceil(0.9 x n) (1-based), so the
// p90 is always one of the observed delays (n = 1: that delay; n = 10: the 9th smallest).
//
// Pure functions, no state, no thread. Results do not depend on input order.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/status.h"

namespace ledgerflow::finance {

enum AgingBucket { kCurrent = 0, kPastDue1To30, kPastDue31To60, kPastDue61To90, kPastDueOver90 };
inline constexpr int kAgingBuckets = 5;
const char* aging_bucket_label(int bucket);  // "current", "1-30", "31-60", "61-90", "90+"
int aging_bucket_of(int64_t days_past_due);

struct OpenItem {
  std::string counterparty_id;  // supplier (payables) or customer (receivables)
  Money open_amount;
  int64_t due_day = 0;
  int64_t count = 1;  // open items it stands for (a DataCo customer's lines of one order day)
};

struct AgingBuckets {
  std::array<Money, kAgingBuckets> amount{};
  std::array<int64_t, kAgingBuckets> count{};
  Money total;
};

struct AgingReport {
  std::map<std::string, AgingBuckets> by_counterparty;
  AgingBuckets total;
};

Result<AgingReport> age_open_items(const std::vector<OpenItem>& items, int64_t as_of_day);

struct SettledItem {
  std::string counterparty_id;
  int64_t due_day = 0;
  int64_t paid_day = 0;
};

struct DelayStats {
  int64_t count = 0;
  double mean_days = 0;
  int64_t p90_days = 0;  // nearest rank, see above
};

// Nearest-rank percentile of integer samples (p in (0, 1]); samples must be non-empty.
int64_t nearest_rank_percentile(std::vector<int64_t> samples, double p);

std::map<std::string, DelayStats> payment_delay_by_counterparty(
    const std::vector<SettledItem>& items);

}  // namespace ledgerflow::finance
