#include "analytics/dataco_receivables.h"

#include <string>
#include <vector>

#include "core/event_time.h"

namespace ledgerflow {

Result<DatacoReceivablesAging> age_dataco_receivables(const DatacoReceivables& r, int64_t as_of_day,
                                                      int64_t terms_days) {
  DatacoReceivablesAging out;
  out.terms_days = terms_days;
  if (as_of_day == INT64_MIN && r.max_order_time_ms != INT64_MIN) {
    as_of_day = floor_div(r.max_order_time_ms, kMsPerDay);
  }
  out.as_of_day = as_of_day;
  if (as_of_day == INT64_MIN) return out;
  std::vector<finance::OpenItem> items;
  for (const auto& [customer, days] : r.by_customer) {
    for (const auto& [day, open] : days) {
      if (day > as_of_day || open.lines == 0) continue;
      items.push_back(finance::OpenItem{std::to_string(customer), open.order_value,
                                        day + terms_days, open.lines});
    }
  }
  Result<finance::AgingReport> report = finance::age_open_items(items, as_of_day);
  if (!report) return report.status();
  out.report = std::move(report.value());
  return out;
}

}  // namespace ledgerflow
