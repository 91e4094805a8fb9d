#pragma once
// One customer order line in the DataCo "Smart Supply Chain" format (DESIGN.md "Inputs" 2),
// normalized: money fixed-point, dates as ms since the epoch (UTC), strings trimmed UTF-8.
// Plain data, immutable once parsed: an Event shares it (shared_ptr<const OrderLine>) from the
// parser through the log writer to the shard that aggregates it.
#include <cstdint>
#include <string>

#include "core/bytes.h"
#include "core/money.h"

namespace ledgerflow {

struct OrderLine {
  int64_t order_item_id = 0;  // identity of the line
  int64_t order_id = 0;
  int64_t customer_id = 0;       // "Order Customer Id": the routing key
  int64_t order_time_ms = 0;     // "order date (DateOrders)"
  int64_t shipping_time_ms = 0;  // "shipping date (DateOrders)"
  int32_t days_real = 0;         // "Days for shipping (real)"
  int32_t days_scheduled = 0;    // "Days for shipment (scheduled)"
  bool late_delivery_risk = false;
  int32_t quantity = 0;          // "Order Item Quantity"
  int64_t product_id = 0;        // "Product Card Id"
  Money sales;                   // "Sales"
  Money item_total;              // "Order Item Total"
  Money profit;                  // "Order Profit Per Order"
  Money benefit;                 // "Benefit per order"
  Money product_price;           // "Order Item Product Price"
  Money discount;                // "Order Item Discount"
  std::string payment_type;      // "Type": DEBIT, TRANSFER, CASH, PAYMENT
  std::string delivery_status;   // "Delivery Status"
  std::string order_status;      // "Order Status"
  std::string shipping_mode;     // "Shipping Mode"
  std::string customer_segment;  // "Customer Segment"
  std::string market;            // "Market"
  std::string order_region;
  std::string order_country;
  std::string order_state;
  std::string order_city;
  std::string department;  // "Department Name"
  std::string category;    // "Category Name"
  std::string product_name;

  // Log and checkpoint encoding of the fields above, in declaration order (log_format.h).
  void encode(ByteWriter& w) const;
  bool decode(ByteReader& r);
};

}  // namespace ledgerflow
