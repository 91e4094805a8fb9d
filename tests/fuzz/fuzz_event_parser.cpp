// libFuzzer target: any bytes as one NDJSON line, with and without a topic. The parser must
// return a status, never crash, and accepted sales and shipments must satisfy the documented
// limits.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/assert.h"
#include "ingest/event_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ledgerflow::EventParser parser;
  std::string_view line(reinterpret_cast<const char*>(data), size);
  for (auto type :
       {std::optional<ledgerflow::EventType>{}, std::optional(ledgerflow::EventType::kSale),
        std::optional(ledgerflow::EventType::kShipment)}) {
    ledgerflow::Event e;
    if (!parser.parse(line, type, &e)) continue;
    // A line naming a finance type in its "type" field is a finance event, with no units or
    // product (fuzz_finance_event_parser checks those); the limits below are a sale's or a
    // shipment's.
    if (ledgerflow::is_finance_event(e.type)) continue;
    LF_ASSERT(e.units >= 1 && e.units <= parser.limits().max_units);
    LF_ASSERT(e.prod_id >= 1);
    LF_ASSERT(e.unit_price.micros() >= 0);
    LF_ASSERT(e.id.size() <= parser.limits().max_id_bytes);
  }
  return 0;
}
