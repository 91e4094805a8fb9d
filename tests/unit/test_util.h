#pragma once
// Helpers shared by unit tests: temporary directories and event builders.
#include <string>

#include "support/temp_dir.h"

#include <cstring>

#include "core/checksum.h"
#include "core/event.h"
#include "core/event_time.h"
#include "engine/checkpoint.h"

namespace ledgerflow::testing {

// A checkpoint file's bytes for `d` as an older format `version` wrote them: encode_checkpoint
// always writes the current version, so the field and the header CRC are patched.
inline std::string encode_checkpoint_as(const CheckpointData& d, uint32_t version) {
  std::string bytes = encode_checkpoint(d);
  std::memcpy(bytes.data() + 8, &version, 4);  // the version field
  uint32_t header_crc = crc32(std::string_view(bytes).substr(0, 44));
  std::memcpy(bytes.data() + 44, &header_crc, 4);
  return bytes;
}

inline Event sale(std::string receipt, int64_t prod, int64_t units, const char* price, int64_t t_ms,
                  int32_t store = 1) {
  Event e;
  e.type = EventType::kSale;
  e.id = std::move(receipt);
  e.prod_id = prod;
  e.prod_name = "p" + std::to_string(prod);
  e.units = units;
  e.reorder_point = 10;
  e.unit_price = Money::parse(price).value();
  e.event_time_ms = t_ms;
  e.store_id = store;
  e.id_key = event_identity(e);
  return e;
}

inline Event shipment(std::string id, int64_t prod, int64_t units, int64_t t_ms,
                      int32_t store = 1) {
  Event e;
  e.type = EventType::kShipment;
  e.id = std::move(id);
  e.prod_id = prod;
  e.units = units;
  e.event_time_ms = t_ms;
  e.store_id = store;
  e.id_key = event_identity(e);
  return e;
}

}  // namespace ledgerflow::testing
