#pragma once
// JSON shapes of the DataCo marts under /api/v1/marts/<name> (docs/MARTS.md, docs/API.md).
// Money is written as exact decimal JSON numbers; averages of money are rounded half away from
// zero to the micro-unit; rates and averages of days are doubles. Pure functions of a merged
// DatacoSummary, called on HTTP worker threads.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/dataco_marts.h"
#include "core/status.h"

namespace ledgerflow::server {

struct MartQuery {
  int64_t as_of_day = INT64_MIN;  // days since 1970-01-01; INT64_MIN: the newest order date
  size_t limit = 100;             // fraud_detection: customers listed
};

const std::vector<std::string_view>& dataco_mart_names();

// Unknown mart name: bad input "unknown_mart".
Result<std::string> dataco_mart_json(const DatacoSummary& s, std::string_view mart,
                                     const MartQuery& q);

// money / count rounded half away from zero to the micro-unit (0 when count is 0).
Money average_money(Money total, int64_t count);

}  // namespace ledgerflow::server
