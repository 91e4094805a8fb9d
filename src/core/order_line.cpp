#include "core/order_line.h"

#include <cstring>

#include "core/short_bytes.h"

namespace ledgerflow {

// Sized once, then one copy per text: appends would check the capacity 13 times.
void OrderLine::set_texts(const OrderTexts& values) {
  size_t total = 0;
  for (std::string_view v : values) total += v.size();
  long_texts_.clear();
  if (total > kInlineTextBytes) long_texts_.resize(total);
  char* out = total > kInlineTextBytes ? long_texts_.data() : inline_texts_;
  uint32_t end = 0;
  for (size_t i = 0; i < kOrderTexts; ++i) {
    short_bytes::copy(out + end, values[i].data(), values[i].size());
    end += uint32_t(values[i].size());
    text_ends_[i] = end;
  }
}

void OrderLine::encode(ByteWriter& w) const {
  w.i64(order_item_id);
  w.i64(order_id);
  w.i64(customer_id);
  w.i64(order_time_ms);
  w.i64(shipping_time_ms);
  w.i32(days_real);
  w.i32(days_scheduled);
  w.boolean(late_delivery_risk);
  w.i32(quantity);
  w.i64(product_id);
  for (Money m : {sales, item_total, profit, benefit, product_price, discount}) w.i64(m.micros());
  for (size_t i = 0; i < kOrderTexts; ++i) w.str(text(OrderText(i)));
}

bool OrderLine::decode(ByteReader& r) {
  if (!r.i64(&order_item_id) || !r.i64(&order_id) || !r.i64(&customer_id) ||
      !r.i64(&order_time_ms) || !r.i64(&shipping_time_ms) || !r.i32(&days_real) ||
      !r.i32(&days_scheduled) || !r.boolean(&late_delivery_risk) || !r.i32(&quantity) ||
      !r.i64(&product_id)) {
    return false;
  }
  for (Money* m : {&sales, &item_total, &profit, &benefit, &product_price, &discount}) {
    int64_t micros;
    if (!r.i64(&micros)) return false;
    *m = Money::from_micros(micros);
  }
  OrderTexts texts;
  for (std::string_view& s : texts) {
    if (!r.str_view(&s, 1u << 16)) return false;
  }
  set_texts(texts);
  return true;
}

}  // namespace ledgerflow
