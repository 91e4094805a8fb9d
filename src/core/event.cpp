#include "core/event.h"

namespace ledgerflow {

std::string_view event_type_topic(EventType t) {
  switch (t) {
    case EventType::kSale:
      return "sale_transaction";
    case EventType::kShipment:
      return "inventory_shipment";
  }
  return "unknown";
}

bool event_type_from_name(std::string_view name, EventType* out) {
  if (name == "sale_transaction" || name == "sale") {
    *out = EventType::kSale;
    return true;
  }
  if (name == "inventory_shipment" || name == "shipment") {
    *out = EventType::kShipment;
    return true;
  }
  return false;
}

std::string_view source_kind_name(SourceKind k) {
  switch (k) {
    case SourceKind::kHttp:
      return "http";
    case SourceKind::kGenerator:
      return "generator";
    case SourceKind::kFile:
      return "file";
    case SourceKind::kKafka:
      return "kafka";
    case SourceKind::kBench:
      return "bench";
  }
  return "unknown";
}

IdKey event_identity(const Event& e) {
  if (e.type == EventType::kSale) {
    // Salt with the product so that one receipt's lines are distinct identities.
    return hash_id(e.id, 0x5a1e0000ull ^ uint64_t(e.prod_id) * 0x9E3779B97F4A7C15ull);
  }
  return hash_id(e.id, 0x5419A3E7ull);
}

}  // namespace ledgerflow
