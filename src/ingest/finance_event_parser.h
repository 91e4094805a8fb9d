#pragma once
// Parses and validates one finance JSON event (docs/FINANCE_EVENTS.md) into the plain structs of
// finance/finance_types.h: supplier, purchase_order, goods_receipt, invoice, payment and
// customer_order. Money is read from the number's (or string's) own decimal text into Money,
// never through a double; dates are "YYYY-MM-DD". Validation is strict and every refusal has a
// stable reason code (missing_field, unknown_field, duplicate_field, wrong_type, bad_money,
// bad_date, bad_terms, bad_currency, field_too_long, empty_field, too_many_lines, no_lines,
// out_of_range, unknown_type, type_mismatch, invalid_json, ...). Every string, number and line
// count is bounded by FinanceParseLimits.
//
// Not thread-safe: each thread owns its FinanceEventParser (it reuses a simdjson parser and a
// padded scratch buffer across lines).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <simdjson.h>

#include "core/status.h"
#include "finance/finance_types.h"

namespace ledgerflow {

struct FinanceParseLimits {
  size_t max_line_bytes = 1 << 20;  // longer lines: "line_too_long"
  size_t max_id_bytes = 128;        // every id and product id
  size_t max_name_bytes = 256;
  size_t max_number_bytes = 64;        // a supplier's invoice number
  size_t max_fingerprint_bytes = 128;  // bank account fingerprints (hashes)
  size_t max_method_bytes = 32;
  size_t max_lines = 1000;  // per purchase order, receipt or invoice
  int64_t max_quantity = 1'000'000'000;
  int64_t max_amount_units = 1'000'000'000;  // any single amount or unit price, whole units
  int32_t max_lead_time_days = 3650;
};

class FinanceEventParser {
 public:
  explicit FinanceEventParser(FinanceParseLimits limits = {});

  // `type` is implied by the topic or endpoint; when absent the object must carry a "type"
  // field. A present "type" field must agree with `type`.
  Status parse(std::string_view line, std::optional<FinanceEventType> type, FinanceEvent* out);

  const FinanceParseLimits& limits() const { return limits_; }

 private:
  Result<FinanceEventType> resolve_type(simdjson::ondemand::document& doc,
                                        std::optional<FinanceEventType> type);

  FinanceParseLimits limits_;
  simdjson::ondemand::parser parser_;
  std::string scratch_;  // the line plus simdjson's required padding
};

}  // namespace ledgerflow
