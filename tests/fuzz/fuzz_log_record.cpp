// libFuzzer target: any bytes as a log record and as a checkpoint. Decoding must report
// truncation or corruption, never read out of bounds; what decodes must re-encode identically
// (order lines in the layout before kFlagRawOnly: re-encode raw-only and decode).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/assert.h"
#include "engine/checkpoint.h"
#include "log/log_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ledgerflow::LogRecord rec;
  size_t consumed = 0;
  if (ledgerflow::logfmt::decode_record(bytes, &rec, &consumed) ==
      ledgerflow::logfmt::DecodeResult::kOk) {
    std::string again;
    ledgerflow::logfmt::encode_record(rec, &again);
    // Order lines in the layout before kFlagRawOnly (no parse hint) are written raw-only now.
    const bool old_order_line =
        rec.event.type == ledgerflow::EventType::kOrderLine && rec.parse_hint.empty();
    LF_ASSERT(old_order_line || again == bytes.substr(0, consumed));
    if (old_order_line) {
      ledgerflow::LogRecord raw_only;
      LF_ASSERT(ledgerflow::logfmt::decode_record(again, &raw_only, &consumed) ==
                ledgerflow::logfmt::DecodeResult::kOk);
    }
  }
  (void)ledgerflow::logfmt::looks_like_valid_record(bytes, 0);
  (void)ledgerflow::decode_checkpoint(bytes);
  return 0;
}
