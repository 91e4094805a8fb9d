#pragma once
// Parses DataCo "Smart Supply Chain" order lines (DESIGN.md "Inputs" 2) into order-line events.
// A row is a set of header-name -> string values, from a CSV record (after the header has been
// mapped once with map_header) or from a JSON object whose keys are the header names and whose
// values are all strings (Kafka topic supply_chain_data, HTTP /api/v1/events/order_line).
//
// Rules (docs/DATACO.md): names match exactly after trimming; columns may come in any order;
// unknown columns are ignored; a missing required column refuses the whole file (CSV) or the
// object (JSON) naming every missing one; values are trimmed; money is decimal text rounded
// half away from zero to 6 fraction digits; dates are "M/D/YYYY H:MM" (UTC); a bad value refuses
// the row with a stable reason code.
//
// Not thread-safe: each thread owns its parser (the JSON path reuses a simdjson parser and a
// padded buffer).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/event.h"
#include "core/status.h"

namespace ledgerflow {

// The columns the engine reads. Order is internal (not the file's).
enum class DatacoColumn : uint8_t {
  kType,
  kDaysReal,
  kDaysScheduled,
  kBenefit,
  kDeliveryStatus,
  kLateRisk,
  kCategoryName,
  kCustomerSegment,
  kDepartmentName,
  kMarket,
  kOrderCity,
  kOrderCountry,
  kOrderCustomerId,
  kOrderDate,
  kOrderId,
  kDiscount,
  kOrderItemId,
  kProductPrice,
  kQuantity,
  kSales,
  kItemTotal,
  kProfit,
  kOrderRegion,
  kOrderState,
  kOrderStatus,
  kProductCardId,
  kProductName,
  kShippingDate,
  kShippingMode,
  kCount,
};
inline constexpr size_t kDatacoColumns = size_t(DatacoColumn::kCount);

// The CSV header name of a column ("Order Item Id", ...).
std::string_view dataco_column_name(DatacoColumn c);

// One row's values by column (views into the caller's buffer; untrimmed is fine).
using DatacoRow = std::array<std::string_view, kDatacoColumns>;

// Where each column is in a file's header.
struct DatacoHeader {
  std::array<size_t, kDatacoColumns> index{};
  size_t fields = 0;  // columns in the header; every record must have as many
};

class OrderLineParser {
 public:
  // Finds every required column in `header` (names trimmed). Missing ones: bad input
  // "missing_columns" naming them all. Duplicate required names: "duplicate_column".
  static Result<DatacoHeader> map_header(const std::vector<std::string>& header);
  // The row of a CSV record under `header` (the record must have header.fields fields).
  static DatacoRow row_of(const DatacoHeader& header, const std::vector<std::string_view>& fields);

  // Validates and converts one row into an order-line event.
  Status parse_row(const DatacoRow& row, Event* out) const;
  // A JSON object keyed by header names, every value a string.
  Status parse_json(std::string_view line, Event* out);

 private:
  Status collect_json(simdjson::ondemand::object obj, DatacoRow* row) const;

  simdjson::ondemand::parser parser_;
  std::string scratch_;
};

}  // namespace ledgerflow
