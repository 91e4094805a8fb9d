#include "finance/aging.h"

#include <algorithm>
#include <cmath>

#include "core/assert.h"

namespace ledgerflow::finance {

const char* aging_bucket_label(int bucket) {
  static const char* const kLabels[kAgingBuckets] = {"current", "1-30", "31-60", "61-90", "90+"};
  LF_ASSERT(bucket >= 0 && bucket < kAgingBuckets);
  return kLabels[bucket];
}

int aging_bucket_of(int64_t days_past_due) {
  if (days_past_due <= 0) return kCurrent;
  if (days_past_due <= 30) return kPastDue1To30;
  if (days_past_due <= 60) return kPastDue31To60;
  if (days_past_due <= 90) return kPastDue61To90;
  return kPastDueOver90;
}

namespace {

bool add_to(AgingBuckets& b, int bucket, const OpenItem& item) {
  if (!Money::checked_add(b.amount[size_t(bucket)], item.open_amount, &b.amount[size_t(bucket)]) ||
      !Money::checked_add(b.total, item.open_amount, &b.total)) {
    return false;
  }
  b.count[size_t(bucket)] += item.count;
  return true;
}

}  // namespace

Result<AgingReport> age_open_items(const std::vector<OpenItem>& items, int64_t as_of_day) {
  AgingReport report;
  for (const OpenItem& item : items) {
    int bucket = aging_bucket_of(as_of_day - item.due_day);
    if (!add_to(report.by_counterparty[item.counterparty_id], bucket, item) ||
        !add_to(report.total, bucket, item)) {
      return Status::bad_input("out_of_range",
                               "aging sum overflows for counterparty " + item.counterparty_id);
    }
  }
  return report;
}

int64_t nearest_rank_percentile(std::vector<int64_t> samples, double p) {
  LF_ASSERT(!samples.empty() && p > 0 && p <= 1);
  size_t n = samples.size();
  // ceil(p x n) computed so that 0.9 x 10 gives rank 9, not 10 from rounding noise.
  size_t rank = size_t(std::ceil(p * double(n) - 1e-9));
  rank = std::clamp<size_t>(rank, 1, n);
  std::nth_element(samples.begin(), samples.begin() + ptrdiff_t(rank - 1), samples.end());
  return samples[rank - 1];
}

std::map<std::string, DelayStats> payment_delay_by_counterparty(
    const std::vector<SettledItem>& items) {
  std::map<std::string, std::vector<int64_t>> delays;
  for (const SettledItem& item : items) {
    delays[item.counterparty_id].push_back(item.paid_day - item.due_day);
  }
  std::map<std::string, DelayStats> out;
  for (auto& [id, d] : delays) {
    DelayStats s;
    s.count = int64_t(d.size());
    int64_t sum = 0;
    for (int64_t x : d) sum += x;
    s.mean_days = double(sum) / double(d.size());
    s.p90_days = nearest_rank_percentile(std::move(d), 0.9);
    out[id] = s;
  }
  return out;
}

}  // namespace ledgerflow::finance
