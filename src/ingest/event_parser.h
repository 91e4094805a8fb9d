#pragma once
// Parses and validates one seed-format JSON event (DESIGN.md "Inputs" 1):
//   sale_transaction:   {"id","prod_id","prod_name","unit_sold","reorder_point",
//                        "regular_unit_price","dt"[,"store_id"][,"type"]}
//   inventory_shipment: {"id","prod_id","unit_received","dt"[,"store_id"][,"type"]}
// Validation is strict: unknown, duplicate or missing fields, wrong JSON types, values out of
// range and oversized strings are refused with a stable reason code (see ParseLimits).
//
// Not thread-safe: each thread owns its EventParser (it holds a simdjson parser and a padded
// scratch buffer that are reused across lines).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "core/event.h"
#include "core/status.h"
#include "ingest/finance_event_parser.h"
#include "ingest/order_line_parser.h"

namespace ledgerflow {

struct ParseLimits {
  size_t max_line_bytes = 1 << 20;  // longer lines: "line_too_long"
  size_t max_id_bytes = 128;
  size_t max_name_bytes = 256;
  int64_t max_prod_id = 2'000'000'000;
  int32_t max_store_id = 1'000'000;
  int64_t max_units = 1'000'000;  // per line
  int64_t max_reorder_point = 1'000'000'000;
  int64_t max_unit_price_units = 1'000'000'000;  // whole currency units
  // Event times further ahead of the wall clock are refused ("time_in_future"): one event
  // dated years ahead would drag the monotonic watermark with it and close every window.
  int64_t max_future_ms = 86'400'000;
  // Finance events (docs/FINANCE_EVENTS.md); their line limit is max_line_bytes above.
  FinanceParseLimits finance;
};

class EventParser {
 public:
  explicit EventParser(ParseLimits limits = {});

  // `type` is the event type implied by the topic or endpoint; when absent the line must carry
  // a "type" field. A present "type" field must agree with `type`. kOrderLine lines are DataCo
  // header-keyed objects (OrderLineParser), which have no "type" field. Finance types go to
  // FinanceEventParser, also when a line without an implied type names one in its "type" field.
  Status parse(std::string_view line, std::optional<EventType> type, Event* out);

  const ParseLimits& limits() const { return limits_; }

  // Sales and shipments written as compact printable-ASCII JSON without escapes (what the
  // generator sends) are read by a direct scan instead of simdjson; a line
  // the scan does not accept as valid goes through simdjson, which decides and words every
  // refusal. Tests turn the scan off to compare the two paths.
  void set_flat_scan(bool on) { flat_scan_ = on; }
  // Lines the scan accepted (tests check that it serves the lines it is meant for).
  uint64_t flat_parsed() const { return flat_parsed_; }

 private:
  // Scalars read from a line; strings are views into the line or into simdjson's buffer.
  struct Fields;

  Status parse_object(simdjson::ondemand::object obj, std::optional<EventType> type, Event* out);
  // The scan above: true if the line is a valid sale or shipment and *out holds it; false if
  // simdjson must decide (the scan never refuses a line, and leaves *out alone then).
  bool parse_flat(std::string_view line, std::optional<EventType> type, Event* out);
  // What both paths check once the fields are read (the type, required and allowed fields, dt,
  // time_in_future); *out is filled only when all of it passes.
  Status finish(const Fields& f, std::optional<EventType> type, Event* out);

  Status parse_finance(std::string_view line, std::optional<FinanceEventType> type, Event* out);
  // The "time_in_future" check (ParseLimits::max_future_ms) against a cached clock reading.
  bool too_far_ahead(int64_t event_ms);

  static constexpr uint32_t kClockReuse = 1024;

  ParseLimits limits_;
  simdjson::ondemand::parser parser_;
  std::string scratch_;   // the line plus simdjson's required padding
  int64_t clock_ms_ = 0;  // the last wall clock reading (too_far_ahead)
  uint32_t clock_uses_left_ = 0;
  OrderLineParser order_lines_;
  FinanceEventParser finance_;
  bool flat_scan_ = true;
  uint64_t flat_parsed_ = 0;
};

// The finance parser's limits under these ingest limits: finance lines share max_line_bytes.
FinanceParseLimits finance_limits(const ParseLimits& limits);

// Fills the engine's Event for a parsed finance event (see Event::finance for the fields).
void fill_finance_event(FinanceEvent fe, Event* out);

}  // namespace ledgerflow
