#include "core/event.h"

namespace ledgerflow {

std::string_view event_type_topic(EventType t) {
  switch (t) {
    case EventType::kSale:
      return "sale_transaction";
    case EventType::kShipment:
      return "inventory_shipment";
    case EventType::kOrderLine:
      return "supply_chain_data";
    case EventType::kSupplier:
    case EventType::kPurchaseOrder:
    case EventType::kGoodsReceipt:
    case EventType::kInvoice:
    case EventType::kPayment:
    case EventType::kCustomerOrder:
    case EventType::kCustomerInvoice:
    case EventType::kCustomerPayment:
      return finance_event_type_name(finance_type_of(t));
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
  if (name == "supply_chain_data" || name == "order_line") {
    *out = EventType::kOrderLine;
    return true;
  }
  FinanceEventType f;
  if (finance_event_type_from_name(name, &f)) {
    *out = event_type_of(f);
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
  // (type, store, product, id): the spec's (receipt id, prod_id) for a sale line and the id
  // for a shipment, refined by the store (and the product for shipments) so that an identity
  // always falls within one routing key. Dedupe is then exact inside a shard whatever the shard
  // count, a shipment document covering several products counts each line, and two stores
  // whose tills number receipts alike are not mistaken for retries of each other. A retry
  // repeats the whole line, so it still matches.
  uint64_t seed = (uint64_t(e.type) << 56) ^ (uint64_t(uint32_t(e.store_id)) << 24) ^
                  uint64_t(e.prod_id) * 0x9E3779B97F4A7C15ull;
  return hash_id(e.id, seed);
}

}  // namespace ledgerflow
