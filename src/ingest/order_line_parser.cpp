#include "ingest/order_line_parser.h"

#include <charconv>

#include <fmt/format.h>

#include "core/event_time.h"
#include "ingest/csv_reader.h"

namespace ledgerflow {
namespace {

using C = DatacoColumn;

// Header names, indexed by DatacoColumn.
constexpr std::string_view kNames[kDatacoColumns] = {
    "Type",
    "Days for shipping (real)",
    "Days for shipment (scheduled)",
    "Benefit per order",
    "Delivery Status",
    "Late_delivery_risk",
    "Category Name",
    "Customer Segment",
    "Department Name",
    "Market",
    "Order City",
    "Order Country",
    "Order Customer Id",
    "order date (DateOrders)",
    "Order Id",
    "Order Item Discount",
    "Order Item Id",
    "Order Item Product Price",
    "Order Item Quantity",
    "Sales",
    "Order Item Total",
    "Order Profit Per Order",
    "Order Region",
    "Order State",
    "Order Status",
    "Product Card Id",
    "Product Name",
    "shipping date (DateOrders)",
    "Shipping Mode",
};

constexpr size_t kMaxValueBytes = 1024;

bool column_of(std::string_view name, DatacoColumn* out) {
  for (size_t i = 0; i < kDatacoColumns; ++i) {
    if (kNames[i] == name) {
      *out = DatacoColumn(i);
      return true;
    }
  }
  return false;
}

std::string_view value(const DatacoRow& row, C c) {
  return trim(row[size_t(c)]);
}

Status bad_value(C c, std::string_view v, const char* want) {
  return Status::bad_input("invalid_value", fmt::format("column \"{}\": \"{}\" is not {}",
                                                        kNames[size_t(c)], v.substr(0, 64), want));
}

Status read_int(const DatacoRow& row, C c, int64_t lo, int64_t hi, int64_t* out) {
  std::string_view v = value(row, c);
  if (v.empty())
    return Status::bad_input("empty_field",
                             fmt::format("column \"{}\" is empty", kNames[size_t(c)]));
  int64_t x = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || end != v.data() + v.size()) return bad_value(c, v, "an integer");
  if (x < lo || x > hi) {
    return Status::bad_input(
        "out_of_range",
        fmt::format("column \"{}\": {} is not between {} and {}", kNames[size_t(c)], x, lo, hi));
  }
  *out = x;
  return Status::ok();
}

Status read_int32(const DatacoRow& row, C c, int64_t lo, int64_t hi, int32_t* out) {
  int64_t x = 0;
  Status s = read_int(row, c, lo, hi, &x);
  *out = int32_t(x);
  return s;
}

Status read_money(const DatacoRow& row, C c, Money* out) {
  std::string_view v = value(row, c);
  if (v.empty())
    return Status::bad_input("empty_field",
                             fmt::format("column \"{}\" is empty", kNames[size_t(c)]));
  Result<Money> m = Money::parse_rounded(v);
  if (!m) return bad_value(c, v, "a decimal amount");
  // A billion per line is far beyond any order line; bigger values are typing errors.
  if (m->micros() > 1'000'000'000 * Money::kScale || m->micros() < -1'000'000'000 * Money::kScale) {
    return Status::bad_input("out_of_range", fmt::format("column \"{}\": {} is out of range",
                                                         kNames[size_t(c)], v.substr(0, 64)));
  }
  *out = *m;
  return Status::ok();
}

Status read_time(const DatacoRow& row, C c, int64_t* out) {
  Result<int64_t> ms = parse_us_datetime_ms(value(row, c));
  if (!ms) {
    return Status::bad_input(
        "invalid_time", fmt::format("column \"{}\": {}", kNames[size_t(c)], ms.status().message()));
  }
  *out = *ms;
  return Status::ok();
}

Status read_string(const DatacoRow& row, C c, bool allow_empty, std::string* out) {
  std::string_view v = value(row, c);
  if (v.size() > kMaxValueBytes) {
    return Status::bad_input("string_too_long", fmt::format("column \"{}\" is longer than {} bytes",
                                                            kNames[size_t(c)], kMaxValueBytes));
  }
  if (!allow_empty && v.empty()) {
    return Status::bad_input("empty_field",
                             fmt::format("column \"{}\" is empty", kNames[size_t(c)]));
  }
  out->assign(v);
  return Status::ok();
}

Status json_error(simdjson::error_code e) {
  if (e == simdjson::UTF8_ERROR)
    return Status::bad_input("invalid_utf8", "the line is not valid UTF-8");
  return Status::bad_input("invalid_json",
                           fmt::format("malformed JSON: {}", simdjson::error_message(e)));
}

Status missing(uint64_t seen_mask, const char* code, const char* what) {
  std::string names;
  for (size_t i = 0; i < kDatacoColumns; ++i) {
    if (seen_mask & (uint64_t(1) << i)) continue;
    names += names.empty() ? "" : ", ";
    names += '"' + std::string(kNames[i]) + '"';
  }
  return Status::bad_input(code, fmt::format("missing {}: {}", what, names));
}

constexpr uint64_t kAllColumns = (uint64_t(1) << kDatacoColumns) - 1;

}  // namespace

std::string_view dataco_column_name(DatacoColumn c) {
  return kNames[size_t(c)];
}

Result<DatacoHeader> OrderLineParser::map_header(const std::vector<std::string>& header) {
  DatacoHeader h;
  h.fields = header.size();
  uint64_t seen = 0;
  for (size_t i = 0; i < header.size(); ++i) {
    DatacoColumn c;
    if (!column_of(trim(header[i]), &c)) continue;  // a column the engine does not read
    uint64_t bit = uint64_t(1) << size_t(c);
    if (seen & bit) {
      return Status::bad_input("duplicate_column",
                               fmt::format("column \"{}\" appears twice", kNames[size_t(c)]));
    }
    seen |= bit;
    h.index[size_t(c)] = i;
  }
  if (seen != kAllColumns) return missing(seen, "missing_columns", "required columns");
  return h;
}

DatacoRow OrderLineParser::row_of(const DatacoHeader& header,
                                  const std::vector<std::string_view>& fields) {
  LF_ASSERT(fields.size() == header.fields);
  DatacoRow row;
  for (size_t i = 0; i < kDatacoColumns; ++i) row[i] = fields[header.index[i]];
  return row;
}

Status OrderLineParser::parse_row(const DatacoRow& row, Event* out) const {
  auto line = std::make_shared<OrderLine>();
  OrderLine& o = *line;
  int64_t late = 0;
  Status checks[] = {
      read_int(row, C::kOrderItemId, 1, INT64_MAX / 2, &o.order_item_id),
      read_int(row, C::kOrderId, 1, INT64_MAX / 2, &o.order_id),
      read_int(row, C::kOrderCustomerId, 1, INT64_MAX / 2, &o.customer_id),
      read_time(row, C::kOrderDate, &o.order_time_ms),
      read_time(row, C::kShippingDate, &o.shipping_time_ms),
      read_int32(row, C::kDaysReal, 0, 10'000, &o.days_real),
      read_int32(row, C::kDaysScheduled, 0, 10'000, &o.days_scheduled),
      read_int(row, C::kLateRisk, 0, 1, &late),
      read_int32(row, C::kQuantity, 1, 1'000'000, &o.quantity),
      read_int(row, C::kProductCardId, 0, INT64_MAX / 2, &o.product_id),
      read_money(row, C::kSales, &o.sales),
      read_money(row, C::kItemTotal, &o.item_total),
      read_money(row, C::kProfit, &o.profit),
      read_money(row, C::kBenefit, &o.benefit),
      read_money(row, C::kProductPrice, &o.product_price),
      read_money(row, C::kDiscount, &o.discount),
      read_string(row, C::kType, false, &o.payment_type),
      read_string(row, C::kDeliveryStatus, false, &o.delivery_status),
      read_string(row, C::kOrderStatus, false, &o.order_status),
      read_string(row, C::kShippingMode, false, &o.shipping_mode),
      read_string(row, C::kCustomerSegment, false, &o.customer_segment),
      read_string(row, C::kMarket, false, &o.market),
      read_string(row, C::kDepartmentName, false, &o.department),
      read_string(row, C::kCategoryName, false, &o.category),
      read_string(row, C::kOrderRegion, true, &o.order_region),
      read_string(row, C::kOrderCountry, true, &o.order_country),
      read_string(row, C::kOrderState, true, &o.order_state),
      read_string(row, C::kOrderCity, true, &o.order_city),
      read_string(row, C::kProductName, true, &o.product_name),
  };
  for (const Status& s : checks) {
    if (!s) return s;
  }
  o.late_delivery_risk = late == 1;
  Event e;
  e.type = EventType::kOrderLine;
  e.event_time_ms = o.order_time_ms;
  e.id = std::to_string(o.order_item_id);
  e.id_key = event_identity(e);
  e.order_line = std::move(line);
  *out = std::move(e);
  return Status::ok();
}

Status OrderLineParser::collect_json(simdjson::ondemand::object obj, DatacoRow* row) const {
  uint64_t seen = 0;
  for (auto field_result : obj) {
    simdjson::ondemand::field field;
    if (auto err = std::move(field_result).get(field)) return json_error(err);
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) return json_error(err);
    DatacoColumn c;
    if (!column_of(trim(key), &c)) continue;  // columns the engine does not read
    uint64_t bit = uint64_t(1) << size_t(c);
    if (seen & bit) {
      return Status::bad_input("duplicate_field",
                               fmt::format("field \"{}\" appears twice", kNames[size_t(c)]));
    }
    seen |= bit;
    simdjson::ondemand::json_type t;
    if (field.value().type().get(t) || t != simdjson::ondemand::json_type::string) {
      return Status::bad_input("wrong_type",
                               fmt::format("field \"{}\" must be a string", kNames[size_t(c)]));
    }
    if (auto err = field.value().get_string().get((*row)[size_t(c)])) return json_error(err);
  }
  if (seen != kAllColumns) return missing(seen, "missing_field", "fields");
  return Status::ok();
}

Status OrderLineParser::parse_json(std::string_view line, Event* out) {
  scratch_.assign(line);
  scratch_.append(simdjson::SIMDJSON_PADDING, '\0');
  simdjson::ondemand::document doc;
  if (auto e = parser_.iterate(scratch_.data(), line.size(), scratch_.size()).get(doc))
    return json_error(e);
  simdjson::ondemand::json_type t;
  if (auto e = doc.type().get(t)) return json_error(e);
  if (t != simdjson::ondemand::json_type::object)
    return Status::bad_input("not_object", "the line is not a JSON object");
  simdjson::ondemand::object obj;
  if (auto e = doc.get_object().get(obj)) return json_error(e);
  DatacoRow row;
  if (Status s = collect_json(obj, &row); !s) return s;
  const char* loc = nullptr;
  if (doc.current_location().get(loc) == simdjson::SUCCESS) {
    return Status::bad_input("invalid_json", "unexpected content after the JSON object");
  }
  return parse_row(row, out);
}

}  // namespace ledgerflow
