#pragma once
// One customer order line in the DataCo "Smart Supply Chain" format (DESIGN.md "Inputs" 2),
// normalized: money fixed-point, dates as ms since the epoch (UTC), strings trimmed UTF-8.
// Plain data, immutable once parsed: an Event shares it (shared_ptr<const OrderLine>) from the
// parser through the log writer to the shard that aggregates it.
//
// The 13 text fields live back to back in one buffer (views come out of accessors), where 13
// std::string members cost 13 assigns and up to 13 frees. The buffer is inside the line when the
// texts fit (DataCo rows hold 112-198 bytes of them), so a line made with make_shared is one
// allocation on the ingest thread and one free on the shard thread; longer texts go to the heap.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/money.h"

namespace ledgerflow {

// The text fields of an OrderLine, in their encoding order (log_format.h).
enum class OrderText : uint8_t {
  kPaymentType,      // "Type": DEBIT, TRANSFER, CASH, PAYMENT
  kDeliveryStatus,   // "Delivery Status"
  kOrderStatus,      // "Order Status"
  kShippingMode,     // "Shipping Mode"
  kCustomerSegment,  // "Customer Segment"
  kMarket,           // "Market"
  kOrderRegion,
  kOrderCountry,
  kOrderState,
  kOrderCity,
  kDepartment,  // "Department Name"
  kCategory,    // "Category Name"
  kProductName,
  kCount,
};
inline constexpr size_t kOrderTexts = size_t(OrderText::kCount);
using OrderTexts = std::array<std::string_view, kOrderTexts>;  // indexed by OrderText

struct OrderLine {
  // User-provided, so that make_shared runs the initializers below and does not zero the whole
  // line first, the inline text buffer included (set_texts writes what is read).
  OrderLine() {}  // NOLINT(modernize-use-equals-default)

  int64_t order_item_id = 0;  // identity of the line
  int64_t order_id = 0;
  int64_t customer_id = 0;       // "Order Customer Id": the routing key
  int64_t order_time_ms = 0;     // "order date (DateOrders)"
  int64_t shipping_time_ms = 0;  // "shipping date (DateOrders)"
  int32_t days_real = 0;         // "Days for shipping (real)"
  int32_t days_scheduled = 0;    // "Days for shipment (scheduled)"
  bool late_delivery_risk = false;
  int32_t quantity = 0;    // "Order Item Quantity"
  int64_t product_id = 0;  // "Product Card Id"
  Money sales;             // "Sales"
  Money item_total;        // "Order Item Total"
  Money profit;            // "Order Profit Per Order"
  Money benefit;           // "Benefit per order"
  Money product_price;     // "Order Item Product Price"
  Money discount;          // "Order Item Discount"

  std::string_view text(OrderText t) const {
    const size_t i = size_t(t);
    const uint32_t begin = i == 0 ? 0 : text_ends_[i - 1];
    return std::string_view(texts() + begin, text_ends_[i] - begin);
  }
  // Replaces every text field (the values are copied into the line's one buffer).
  void set_texts(const OrderTexts& values);

  std::string_view payment_type() const { return text(OrderText::kPaymentType); }
  std::string_view delivery_status() const { return text(OrderText::kDeliveryStatus); }
  std::string_view order_status() const { return text(OrderText::kOrderStatus); }
  std::string_view shipping_mode() const { return text(OrderText::kShippingMode); }
  std::string_view customer_segment() const { return text(OrderText::kCustomerSegment); }
  std::string_view market() const { return text(OrderText::kMarket); }
  std::string_view order_region() const { return text(OrderText::kOrderRegion); }
  std::string_view order_country() const { return text(OrderText::kOrderCountry); }
  std::string_view order_state() const { return text(OrderText::kOrderState); }
  std::string_view order_city() const { return text(OrderText::kOrderCity); }
  std::string_view department() const { return text(OrderText::kDepartment); }
  std::string_view category() const { return text(OrderText::kCategory); }
  std::string_view product_name() const { return text(OrderText::kProductName); }

  // The fields above as order-line records held them before the log stored lines raw-only
  // (log_format.h kFlagRawOnly): numbers in declaration order, then the texts in OrderText
  // order. decode reads such logs; encode is no longer written by the engine, only by tests
  // that build such records or compare two lines field by field.
  void encode(ByteWriter& w) const;
  bool decode(ByteReader& r);

  // Bytes of texts held inside the line: sized so that a line with its shared_ptr control block
  // fills one 448-byte allocator size class.
  static constexpr size_t kInlineTextBytes = 232;

 private:
  const char* texts() const { return long_texts_.empty() ? inline_texts_ : long_texts_.data(); }

  // The text fields back to back: in inline_texts_ when they fit, else in long_texts_.
  std::string long_texts_;
  std::array<uint32_t, kOrderTexts> text_ends_{};  // end of each in the buffer
  char inline_texts_[kInlineTextBytes];
};

}  // namespace ledgerflow
