#pragma once
// Business events after parsing and validation. Values are plain data, owned by whoever holds
// them (an ingest batch, then a shard queue, then a shard).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/checksum.h"
#include "core/money.h"
#include "core/order_line.h"
#include "core/source_name.h"
#include "finance/finance_types.h"

namespace ledgerflow {

// Stable numeric ids: they are written into the bronze log (see log/log_format.h).
enum class EventType : uint8_t {
  kSale = 1,       // topic sale_transaction
  kShipment = 2,   // topic inventory_shipment
  kOrderLine = 3,  // topic supply_chain_data (DataCo order lines, header-keyed JSON objects)
  // Finance events (docs/FINANCE_EVENTS.md), in FinanceEventType order: kSupplier + i is
  // FinanceEventType(i). Topic and endpoint names are the finance type names ("invoice", ...).
  kSupplier = 10,
  kPurchaseOrder = 11,
  kGoodsReceipt = 12,
  kInvoice = 13,
  kPayment = 14,
  kCustomerOrder = 15,
  kCustomerInvoice = 16,
  kCustomerPayment = 17,
};

inline bool is_finance_event(EventType t) {
  return t >= EventType::kSupplier && t <= EventType::kCustomerPayment;
}
inline FinanceEventType finance_type_of(EventType t) {
  return FinanceEventType(int(t) - int(EventType::kSupplier));
}
inline EventType event_type_of(FinanceEventType t) {
  return EventType(int(EventType::kSupplier) + int(t));
}

std::string_view event_type_topic(EventType t);
// "sale_transaction" / "sale" -> kSale, "inventory_shipment" / "shipment" -> kShipment,
// "supply_chain_data" / "order_line" -> kOrderLine, a finance type name -> its finance type.
bool event_type_from_name(std::string_view name, EventType* out);

enum class SourceKind : uint8_t {
  kHttp = 1,
  kGenerator = 2,
  kFile = 3,
  kKafka = 4,
  kBench = 5,
};
std::string_view source_kind_name(SourceKind k);

// Where a record came from: (kind, name, partition, position) is e.g. (kafka, topic, 3, 1200),
// (file, path, 0, line) or (http, "http", 0, line within the request).
struct SourcePosition {
  SourceKind kind = SourceKind::kHttp;
  SourceName name;
  int32_t partition = 0;
  int64_t position = 0;
};

inline constexpr int32_t kDefaultStoreId = 1;

struct Event {
  EventType type = EventType::kSale;
  int32_t store_id = kDefaultStoreId;
  int64_t prod_id = 0;
  int64_t units = 0;           // unit_sold for a sale, unit_received for a shipment
  int64_t reorder_point = -1;  // sale only; -1 when absent
  Money unit_price;            // sale only: regular_unit_price
  int64_t event_time_ms = 0;
  std::string id;         // receipt id (sale) or shipment id
  std::string prod_name;  // sale only
  // Order lines only (type kOrderLine): the DataCo fields. id is the Order Item Id and
  // event_time_ms the order date; store_id, prod_id, units and unit_price stay at defaults.
  std::shared_ptr<const OrderLine> order_line;
  // Finance events only: the parsed event. id is the record's own id (invoice id, payment id,
  // ...), event_time_ms its business day (a customer order's time) and prod_id 0, except for a
  // supplier record, where prod_id is a hash of the record so that a changed record is a new
  // version and a retried one a duplicate. Records read back from the log carry only their raw
  // bytes: the router parses them again (the parser is deterministic), see Engine::route.
  std::shared_ptr<const FinanceEvent> finance;
  IdKey id_key;  // identity for idempotent retries (event_identity)
  // Filled when the record is in the log.
  uint64_t offset = 0;
  int64_t ingest_time_ms = 0;
};

// The identity used for idempotent retries: (type, store_id, prod_id, id), see event.cpp. For an
// order line that is (type, Order Item Id).
IdKey event_identity(const Event& e);

}  // namespace ledgerflow
