// libFuzzer target: any bytes as one finance event line, with and without a caller type. The
// parser must return a status, never crash; what parses respects the limits and survives a
// round trip through the writer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/assert.h"
#include "ingest/finance_event_parser.h"
#include "ingest/finance_event_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ledgerflow::FinanceEventParser parser;
  std::string_view line(reinterpret_cast<const char*>(data), size);
  for (auto type : {std::optional<ledgerflow::FinanceEventType>{},
                    std::optional(ledgerflow::FinanceEventType::kInvoice),
                    std::optional(ledgerflow::FinanceEventType::kPurchaseOrder)}) {
    ledgerflow::FinanceEvent e;
    if (!parser.parse(line, type, &e)) continue;
    if (const auto* inv = std::get_if<ledgerflow::finance::Invoice>(&e)) {
      LF_ASSERT(inv->amount.micros() > 0);
      LF_ASSERT(inv->lines.size() <= parser.limits().max_lines);
      LF_ASSERT(inv->id.size() <= parser.limits().max_id_bytes);
    }
    std::string again = ledgerflow::finance_event_json(e);
    ledgerflow::FinanceEvent back;
    LF_ASSERT(parser.parse(again, std::nullopt, &back).is_ok());
    LF_ASSERT(ledgerflow::finance_event_json(back) == again);
  }
  return 0;
}
