#include "analytics/daily_demand.h"

#include <algorithm>

#include "core/event_time.h"

namespace ledgerflow {

size_t DailyDemand::slot(int64_t day) {
  int64_t m = day % kDays;
  return size_t(m < 0 ? m + kDays : m);
}

void DailyDemand::add(int64_t day, int64_t units) {
  if (last_day_ == kNoDay) {
    first_day_ = last_day_ = day;
  } else if (day > last_day_) {
    // Days between the old newest day and this one had no sale: clear their (reused) slots.
    for (int64_t d = last_day_ + 1; d <= day && d <= last_day_ + kDays; ++d) units_[slot(d)] = 0;
    last_day_ = day;
  } else if (day <= last_day_ - kDays) {
    first_day_ = std::min(first_day_, day);
    return;  // beyond the ring's reach
  }
  first_day_ = std::min(first_day_, day);
  units_[slot(day)] += units;
}

std::vector<double> DailyDemand::window(int64_t as_of_day, int days) const {
  std::vector<double> out;
  if (first_day_ == kNoDay || first_day_ > as_of_day) return out;
  days = std::clamp(days, 1, kDays);
  int64_t from = std::max(as_of_day - days + 1, first_day_);
  for (int64_t d = from; d <= as_of_day; ++d) {
    bool held = d <= last_day_ && d > last_day_ - kDays;
    out.push_back(held ? double(units_[slot(d)]) : 0.0);
  }
  return out;
}

void DailyDemand::serialize(ByteWriter& w) const {
  w.i64(first_day_);
  w.i64(last_day_);
  for (int64_t u : units_) w.i64(u);
}

bool DailyDemand::deserialize(ByteReader& r) {
  if (!r.i64(&first_day_) || !r.i64(&last_day_)) return false;
  for (int64_t& u : units_) {
    if (!r.i64(&u)) return false;
  }
  return true;
}

}  // namespace ledgerflow
