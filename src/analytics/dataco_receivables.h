#pragma once
// Aging of the open DataCo receivables (PENDING_PAYMENT order lines, DatacoReceivables) as of a
// day on the DataCo clock (docs/FINANCE_API.md "DataCo receivables"). A line is issued on its
// order date and due `terms_days` later; lines ordered after the as-of day were not yet issued
// then and are left out. Customers are the counterparties, their id as text. Pure function;
// any thread.
#include <cstdint>

#include "analytics/dataco_marts.h"
#include "core/status.h"
#include "finance/aging.h"

namespace ledgerflow {

struct DatacoReceivablesAging {
  int64_t as_of_day = INT64_MIN;  // INT64_MIN: no order lines yet
  int64_t terms_days = 0;
  finance::AgingReport report;  // counts are order lines
};

// `as_of_day` INT64_MIN: the day of the newest order date (as the order-value aging mart).
Result<DatacoReceivablesAging> age_dataco_receivables(const DatacoReceivables& r, int64_t as_of_day,
                                                      int64_t terms_days);

}  // namespace ledgerflow
