#pragma once
// Units sold per UTC day (by event time) for one product x store over the last kDays days: the
// demand history the reorder recommendation needs (finance/reorder.h). A ring of day slots; a
// sale older than the ring's reach is left out (its running totals still count, InventoryState).
// Results do not depend on arrival order within the reach.
//
// A value inside an InventoryRow: owned and mutated by its shard, copied out by readers.
#include <array>
#include <cstdint>
#include <vector>

#include "core/bytes.h"

namespace ledgerflow {

class DailyDemand {
 public:
  static constexpr int kDays = 56;  // the longest trailing window a reorder read may ask for

  void add(int64_t day, int64_t units);
  // Units per day for the `days` days ending on as_of_day (oldest first), from the first day the
  // product sold at the earliest: days before it are not "no demand" but "not stocked yet".
  // Days after the newest sale count as zero. Empty when nothing sold by as_of_day.
  std::vector<double> window(int64_t as_of_day, int days) const;
  bool empty() const { return first_day_ == kNoDay; }

  // i64 first day, i64 last day, then kDays x i64 units (slot = day mod kDays).
  void serialize(ByteWriter& w) const;
  bool deserialize(ByteReader& r);

 private:
  static constexpr int64_t kNoDay = INT64_MIN;
  static size_t slot(int64_t day);

  int64_t first_day_ = kNoDay;  // first day with a sale
  int64_t last_day_ = kNoDay;   // newest day with a sale: slots hold (last_day - kDays, last_day]
  std::array<int64_t, kDays> units_{};
};

}  // namespace ledgerflow
