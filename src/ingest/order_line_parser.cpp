#include "ingest/order_line_parser.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "core/event_time.h"
#include "core/short_bytes.h"
#include "ingest/csv_reader.h"

namespace ledgerflow {
namespace {

using C = DatacoColumn;
using T = OrderText;

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

// Values rarely start or end with a blank (' ' or '\t'): when neither end is a byte at or below
// ' ', one test for both ends, and trim (which finds nothing else to remove) only otherwise.
// Inlined into each reader (29 calls a row; as a call it cost about as much as its tests).
[[gnu::always_inline]] inline std::string_view value(const DatacoRow& row, C c) {
  const std::string_view v = row[size_t(c)];
  if (!v.empty() && ((uint8_t(v.front()) > ' ') & (uint8_t(v.back()) > ' '))) return v;
  return trim(v);
}

// The error builders are out of line and cold: inlined, their formatting made every reader's
// frame heavy (register saves on each call of the good path).
[[gnu::noinline, gnu::cold]] Status bad_value(C c, std::string_view v, const char* want) {
  return Status::bad_input("invalid_value", fmt::format("column \"{}\": \"{}\" is not {}",
                                                        kNames[size_t(c)], v.substr(0, 64), want));
}

[[gnu::noinline, gnu::cold]] Status empty_field(C c) {
  return Status::bad_input("empty_field", fmt::format("column \"{}\" is empty", kNames[size_t(c)]));
}

// The readers below return true on success; on failure they set *err and return false, so a
// good row builds no Status at all (this path runs for every row of a file).

// Plain decimal digits only (after an optional '-'), at most 18 of them: what std::from_chars
// accepts, without its generality. Anything else goes through from_chars for the same verdict.
[[gnu::always_inline]] inline bool fast_int(std::string_view v, int64_t* out) {
  size_t i = v[0] == '-' ? 1 : 0;
  if (v.size() - i == 0 || v.size() - i > 18) return false;
  int64_t x = 0;
  for (; i < v.size(); ++i) {
    unsigned d = unsigned(v[i]) - '0';
    if (d > 9) return false;
    x = x * 10 + int64_t(d);
  }
  *out = v[0] == '-' ? -x : x;
  return true;
}

[[gnu::noinline, gnu::cold]] Status int_out_of_range(C c, int64_t x, int64_t lo, int64_t hi) {
  return Status::bad_input("out_of_range", fmt::format("column \"{}\": {} is not between {} and {}",
                                                       kNames[size_t(c)], x, lo, hi));
}

[[gnu::noinline, gnu::cold]] Status money_out_of_range(C c, std::string_view v) {
  return Status::bad_input("out_of_range", fmt::format("column \"{}\": {} is out of range",
                                                       kNames[size_t(c)], v.substr(0, 64)));
}

[[gnu::noinline, gnu::cold]] Status string_too_long(C c) {
  return Status::bad_input("string_too_long", fmt::format("column \"{}\" is longer than {} bytes",
                                                          kNames[size_t(c)], kMaxValueBytes));
}

[[gnu::noinline, gnu::cold]] Status time_error(C c, const Status& s) {
  return Status::bad_input("invalid_time",
                           fmt::format("column \"{}\": {}", kNames[size_t(c)], s.message()));
}

// An integer column and its bounds. The fast pass and the checked readers below both read
// these, so each bound is written once.
struct IntColumn {
  C column;
  int64_t lo, hi;
};
constexpr IntColumn kItemIdColumn{C::kOrderItemId, 1, INT64_MAX / 2};
constexpr IntColumn kOrderIdColumn{C::kOrderId, 1, INT64_MAX / 2};
constexpr IntColumn kCustomerIdColumn{C::kOrderCustomerId, 1, INT64_MAX / 2};
constexpr IntColumn kDaysRealColumn{C::kDaysReal, 0, 10'000};
constexpr IntColumn kDaysScheduledColumn{C::kDaysScheduled, 0, 10'000};
constexpr IntColumn kLateRiskColumn{C::kLateRisk, 0, 1};
constexpr IntColumn kQuantityColumn{C::kQuantity, 1, 1'000'000};
constexpr IntColumn kProductIdColumn{C::kProductCardId, 0, INT64_MAX / 2};

bool read_int(const DatacoRow& row, const IntColumn& spec, int64_t* out, Status* err) {
  const C c = spec.column;
  const int64_t lo = spec.lo, hi = spec.hi;
  std::string_view v = value(row, c);
  if (v.empty()) {
    *err = empty_field(c);
    return false;
  }
  int64_t x = 0;
  if (!fast_int(v, &x)) {
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || end != v.data() + v.size()) {
      *err = bad_value(c, v, "an integer");
      return false;
    }
  }
  if (x < lo || x > hi) {
    *err = int_out_of_range(c, x, lo, hi);
    return false;
  }
  *out = x;
  return true;
}

bool read_int32(const DatacoRow& row, const IntColumn& spec, int32_t* out, Status* err) {
  int64_t x = 0;
  if (!read_int(row, spec, &x, err)) return false;
  *out = int32_t(x);
  return true;
}

// Eight ASCII digits, the first in the lowest byte of `chunk` (as loaded from memory on this
// little-endian machine), as a number; false when a byte is not a digit. The tests and the
// arithmetic are simdjson's (is_made_of_eight_digits_fast, parse_eight_digits_unrolled).
[[gnu::always_inline]] inline bool eight_digits(uint64_t chunk, uint32_t* out) {
  static_assert(std::endian::native == std::endian::little);
  constexpr uint64_t kHigh = 0xF0F0F0F0F0F0F0F0;
  if (((chunk & kHigh) | (((chunk + 0x0606060606060606) & kHigh) >> 4)) != 0x3333333333333333)
    return false;
  uint64_t v = ((chunk & 0x0F0F0F0F0F0F0F0F) * 2561) >> 8;
  v = ((v & 0x00FF00FF00FF00FF) * 6553601) >> 16;
  *out = uint32_t(((v & 0x0000FFFF0000FFFF) * 42949672960001) >> 32);
  return true;
}

// The common shape of a DataCo amount, [+-]d{1,12}[.d+], rounded half away from zero to 6
// fraction digits exactly as Money::parse_rounded does. Anything else (".5", "1e3", 13+ whole
// digits, stray bytes) is left to Money::parse_rounded, which decides and explains. Seven
// fraction digits or more are read eight at a time and the rest only checked (the first dropped
// digit decides the rounding); up to six in a loop of known length.
[[gnu::always_inline]] inline bool fast_money(std::string_view v, Money* out) {
  const char* p = v.data();
  const char* const end = p + v.size();
  const bool negative = *p == '-';
  if (*p == '-' || *p == '+') ++p;
  const char* const whole_start = p;
  uint64_t whole = 0;  // unsigned: more than 18 digits wrap harmlessly before being refused
  for (; p < end && unsigned(*p) - '0' <= 9; ++p) whole = whole * 10 + uint64_t(*p - '0');
  if (p == whole_start || p - whole_start > 12) return false;
  int64_t frac = 0;
  if (p < end) {
    if (*p != '.') return false;
    ++p;
    const size_t digits = size_t(end - p);
    if (digits == 0) return false;
    if (digits > size_t(Money::kScaleDigits)) {
      // Seven digits or more (most DataCo amounts: "314.6400146", "-74.23716089"): the first
      // eight read at once, from the dot (taken as a 0) when there are seven.
      uint64_t chunk;
      std::memcpy(&chunk, digits == 7 ? p - 1 : p, 8);
      if (digits == 7) chunk = (chunk & ~uint64_t(0xFF)) | uint64_t('0');
      uint32_t first8 = 0;
      if (!eight_digits(chunk, &first8)) return false;
      for (size_t k = 8; k < digits; ++k) {
        if (unsigned(p[k]) - '0' > 9) return false;
      }
      // Digits 1-7 of the fraction are first8 / 10 (whichever the chunk's start): the first six
      // and the seventh, which decides the rounding.
      const uint32_t seven = digits == 7 ? first8 : first8 / 10;
      frac = int64_t(seven / 10) + (seven % 10 >= 5 ? 1 : 0);
      const int64_t micros = int64_t(whole) * Money::kScale + frac;
      *out = Money::from_micros(negative ? -micros : micros);
      return true;
    }
    const size_t kept = std::min<size_t>(digits, Money::kScaleDigits);
    for (size_t k = 0; k < kept; ++k) {
      const unsigned d = unsigned(p[k]) - '0';
      if (d > 9) return false;
      frac = frac * 10 + int64_t(d);
    }
    constexpr int64_t kPow10[] = {1, 10, 100, 1'000, 10'000, 100'000, 1'000'000};
    frac *= kPow10[Money::kScaleDigits - kept];
    if (digits > kept) {
      for (size_t k = kept; k < digits; ++k) {
        if (unsigned(p[k]) - '0' > 9) return false;
      }
      frac += p[kept] >= '5' ? 1 : 0;
    }
  }
  const int64_t micros = int64_t(whole) * Money::kScale + frac;
  *out = Money::from_micros(negative ? -micros : micros);
  return true;
}

// A billion per line is far beyond any order line; bigger values are typing errors.
[[gnu::always_inline]] inline bool money_in_range(Money m) {
  return m.micros() <= 1'000'000'000 * Money::kScale &&
         m.micros() >= -1'000'000'000 * Money::kScale;
}

bool read_money(const DatacoRow& row, C c, Money* out, Status* err) {
  std::string_view v = value(row, c);
  if (v.empty()) {
    *err = empty_field(c);
    return false;
  }
  Money m;
  if (!fast_money(v, &m)) {
    Result<Money> r = Money::parse_rounded(v);
    if (!r) {
      *err = bad_value(c, v, "a decimal amount");
      return false;
    }
    m = *r;
  }
  if (!money_in_range(m)) {
    *err = money_out_of_range(c, v);
    return false;
  }
  *out = m;
  return true;
}

// 1 or 2 digits at *p (advancing it); false if there is none. Inlined: six calls a row.
[[gnu::always_inline]] inline bool digits12(std::string_view s, size_t* p, int* out) {
  size_t i = *p;
  if (i >= s.size() || unsigned(s[i]) - '0' > 9) return false;
  int v = s[i++] - '0';
  if (i < s.size() && unsigned(s[i]) - '0' <= 9) v = v * 10 + (s[i++] - '0');
  *out = v;
  *p = i;
  return true;
}

// The usual shape "M/D/YYYY H:MM[:SS]" with a four-digit year, giving exactly what
// parse_us_datetime_ms gives; any other text (and any invalid value) is left to it.
[[gnu::always_inline]] inline bool fast_us_datetime(std::string_view s, int64_t* out) {
  size_t p = 0;
  int month, day, hour, minute, second = 0;
  if (!digits12(s, &p, &month) || p >= s.size() || s[p++] != '/' || !digits12(s, &p, &day) ||
      p + 5 > s.size() || s[p] != '/') {
    return false;
  }
  int year = 0;
  for (size_t k = p + 1; k < p + 5; ++k) {
    if (unsigned(s[k]) - '0' > 9) return false;
    year = year * 10 + (s[k] - '0');
  }
  p += 5;
  if (p >= s.size() || s[p++] != ' ' || !digits12(s, &p, &hour) || p + 3 > s.size() ||
      s[p] != ':' || unsigned(s[p + 1]) - '0' > 9 || unsigned(s[p + 2]) - '0' > 9) {
    return false;
  }
  minute = (s[p + 1] - '0') * 10 + (s[p + 2] - '0');
  p += 3;
  if (p < s.size()) {
    if (p + 3 != s.size() || s[p] != ':' || unsigned(s[p + 1]) - '0' > 9 ||
        unsigned(s[p + 2]) - '0' > 9) {
      return false;
    }
    second = (s[p + 1] - '0') * 10 + (s[p + 2] - '0');
  }
  if (year < 1970 || year > 2199 || hour > 23 || minute > 59 || second > 59) return false;
  int64_t days;
  if (!civil_to_days(year, month, day, &days)) return false;
  *out = days * kMsPerDay + hour * kMsPerHour + minute * kMsPerMinute + second * kMsPerSecond;
  return true;
}

bool read_time(const DatacoRow& row, C c, int64_t* out, Status* err) {
  std::string_view v = value(row, c);
  if (fast_us_datetime(v, out)) return true;
  Result<int64_t> ms = parse_us_datetime_ms(v);
  if (!ms) {
    *err = time_error(c, ms.status());
    return false;
  }
  *out = *ms;
  return true;
}

// Checks a text value; the line copies every text at once (OrderLine::set_texts).
bool read_string(const DatacoRow& row, C c, bool allow_empty, OrderTexts* texts, OrderText t,
                 Status* err) {
  std::string_view v = value(row, c);
  if (v.size() > kMaxValueBytes) {
    *err = string_too_long(c);
    return false;
  }
  if (!allow_empty && v.empty()) {
    *err = empty_field(c);
    return false;
  }
  (*texts)[size_t(t)] = v;
  return true;
}

// The fast readers of a row: every value read by the fast paths above, inlined into one
// function, with no error built and no early Status. A row they all accept gets exactly the
// values the readers above give (those try the same fast paths first); any other row (an empty
// or bad value, one out of range, a shape only the general parsers take) makes read_fast
// return false, and parse_row then runs the readers above in their order, which name the first
// failing check. About a third of the instructions of the readers, which are calls that pass a
// Status back (callgrind, 20,000 DataCo rows).
//
// The fast readers take numbers and dates untrimmed: a blank at either end fails every fast
// parse, and read_checked then trims it (value) as it always did. About 10 instructions a value.
[[gnu::always_inline]] inline bool int_in(const DatacoRow& row, const IntColumn& spec,
                                          int64_t* out) {
  const std::string_view v = row[size_t(spec.column)];
  int64_t x = 0;
  if (v.empty() || !fast_int(v, &x) || x < spec.lo || x > spec.hi) return false;
  *out = x;
  return true;
}

[[gnu::always_inline]] inline bool int32_in(const DatacoRow& row, const IntColumn& spec,
                                            int32_t* out) {
  int64_t x = 0;
  if (!int_in(row, spec, &x)) return false;
  *out = int32_t(x);
  return true;
}

[[gnu::always_inline]] inline bool money_of(const DatacoRow& row, C c, Money* out) {
  const std::string_view v = row[size_t(c)];
  return !v.empty() && fast_money(v, out) && money_in_range(*out);
}

// The last text read by time_of for each date column and its value: an order's lines come
// together and share their dates (in the DataCo fixtures about two lines in three repeat the
// previous line's). Per thread, as the text alone decides the value.
struct DateMemo {
  char text[24];
  size_t size = SIZE_MAX;  // nothing remembered
  int64_t ms = 0;
};
thread_local DateMemo date_memo[2];

[[gnu::always_inline]] inline bool time_of(const DatacoRow& row, C c, int64_t* out) {
  const std::string_view v = row[size_t(c)];
  DateMemo& memo = date_memo[c == C::kOrderDate ? 0 : 1];
  if (v.size() == memo.size && short_bytes::equal_upto24(v.data(), memo.text, v.size())) {
    *out = memo.ms;
    return true;
  }
  if (!fast_us_datetime(v, out)) return false;
  if (v.size() <= sizeof memo.text) {
    std::memcpy(memo.text, v.data(), v.size());
    memo.size = v.size();
    memo.ms = *out;
  }
  return true;
}

// The text columns by OrderText, and whether each may be empty (as parse_row's readers check).
struct TextColumn {
  C column;
  bool allow_empty;
};
constexpr TextColumn kTextColumns[kOrderTexts] = {
    {C::kType, false},         {C::kDeliveryStatus, false},  {C::kOrderStatus, false},
    {C::kShippingMode, false}, {C::kCustomerSegment, false}, {C::kMarket, false},
    {C::kOrderRegion, true},   {C::kOrderCountry, true},     {C::kOrderState, true},
    {C::kOrderCity, true},     {C::kDepartmentName, false},  {C::kCategoryName, false},
    {C::kProductName, true},
};

// All 13 texts, built in place (declared first and assigned after, the 13 views were zeroed
// first: a `rep stos` that was the costliest single instruction of the row parse).
template <size_t... I>
[[gnu::always_inline]] inline OrderTexts texts_of(const DatacoRow& row, std::index_sequence<I...>) {
  return OrderTexts{value(row, kTextColumns[I].column)...};
}

// True when no text is too long and no required one is empty: one unsigned compare a text
// (a required text's size minus one wraps when it is empty), unrolled, with no branch.
template <size_t... I>
[[gnu::always_inline]] inline bool texts_fit(const OrderTexts& texts, std::index_sequence<I...>) {
  constexpr size_t kLeast[] = {(kTextColumns[I].allow_empty ? size_t(0) : size_t(1))...};
  return ((texts[I].size() - kLeast[I] <= kMaxValueBytes - kLeast[I]) & ...);
}

// A text through read_string, with its column and whether it may be empty from kTextColumns.
bool read_text(const DatacoRow& row, OrderText t, OrderTexts* texts, Status* err) {
  const TextColumn& spec = kTextColumns[size_t(t)];
  return read_string(row, spec.column, spec.allow_empty, texts, t, err);
}

bool read_fast(const DatacoRow& row, OrderLine& o, const OrderTexts& texts, bool* late) {
  int64_t late_risk = 0;
  const bool ok =
      int_in(row, kItemIdColumn, &o.order_item_id) && int_in(row, kOrderIdColumn, &o.order_id) &&
      int_in(row, kCustomerIdColumn, &o.customer_id) &&
      time_of(row, C::kOrderDate, &o.order_time_ms) &&
      time_of(row, C::kShippingDate, &o.shipping_time_ms) &&
      int32_in(row, kDaysRealColumn, &o.days_real) &&
      int32_in(row, kDaysScheduledColumn, &o.days_scheduled) &&
      int_in(row, kLateRiskColumn, &late_risk) && int32_in(row, kQuantityColumn, &o.quantity) &&
      int_in(row, kProductIdColumn, &o.product_id) && money_of(row, C::kSales, &o.sales) &&
      money_of(row, C::kItemTotal, &o.item_total) && money_of(row, C::kProfit, &o.profit) &&
      money_of(row, C::kBenefit, &o.benefit) && money_of(row, C::kProductPrice, &o.product_price) &&
      money_of(row, C::kDiscount, &o.discount) &&
      texts_fit(texts, std::make_index_sequence<kOrderTexts>());
  *late = late_risk == 1;
  return ok;
}

// The reference: each value through its reader, in this order, so that the first failing check
// names the row's reason.
Status read_checked(const DatacoRow& row, OrderLine& o, OrderTexts* texts, bool* late) {
  int64_t late_risk = 0;
  Status err;
  const bool ok =
      read_int(row, kItemIdColumn, &o.order_item_id, &err) &&
      read_int(row, kOrderIdColumn, &o.order_id, &err) &&
      read_int(row, kCustomerIdColumn, &o.customer_id, &err) &&
      read_time(row, C::kOrderDate, &o.order_time_ms, &err) &&
      read_time(row, C::kShippingDate, &o.shipping_time_ms, &err) &&
      read_int32(row, kDaysRealColumn, &o.days_real, &err) &&
      read_int32(row, kDaysScheduledColumn, &o.days_scheduled, &err) &&
      read_int(row, kLateRiskColumn, &late_risk, &err) &&
      read_int32(row, kQuantityColumn, &o.quantity, &err) &&
      read_int(row, kProductIdColumn, &o.product_id, &err) &&
      read_money(row, C::kSales, &o.sales, &err) &&
      read_money(row, C::kItemTotal, &o.item_total, &err) &&
      read_money(row, C::kProfit, &o.profit, &err) &&
      read_money(row, C::kBenefit, &o.benefit, &err) &&
      read_money(row, C::kProductPrice, &o.product_price, &err) &&
      read_money(row, C::kDiscount, &o.discount, &err) &&
      read_text(row, T::kPaymentType, texts, &err) &&
      read_text(row, T::kDeliveryStatus, texts, &err) &&
      read_text(row, T::kOrderStatus, texts, &err) &&
      read_text(row, T::kShippingMode, texts, &err) &&
      read_text(row, T::kCustomerSegment, texts, &err) && read_text(row, T::kMarket, texts, &err) &&
      read_text(row, T::kDepartment, texts, &err) && read_text(row, T::kCategory, texts, &err) &&
      read_text(row, T::kOrderRegion, texts, &err) &&
      read_text(row, T::kOrderCountry, texts, &err) &&
      read_text(row, T::kOrderState, texts, &err) && read_text(row, T::kOrderCity, texts, &err) &&
      read_text(row, T::kProductName, texts, &err);
  if (!ok) return err;
  *late = late_risk == 1;
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
  // Built in place: a loop would first value-initialize all 29 views.
  return [&]<size_t... I>(std::index_sequence<I...>) {
    return DatacoRow{fields[header.index[I]]...};
  }
  (std::make_index_sequence<kDatacoColumns>());
}

Status OrderLineParser::parse_row(const DatacoRow& row, Event* out) const {
  auto line = std::make_shared<OrderLine>();
  OrderLine& o = *line;
  OrderTexts texts = texts_of(row, std::make_index_sequence<kOrderTexts>());
  bool late = false;
  const bool fast = read_fast(row, o, texts, &late);
  if (!fast) [[unlikely]] {
    if (Status err = read_checked(row, o, &texts, &late); !err) return err;
  }
  o.set_texts(texts);
  o.late_delivery_risk = late;
  Event e;
  e.type = EventType::kOrderLine;
  e.event_time_ms = o.order_time_ms;
  // The id's decimal digits, as std::to_string writes them: the column's own text when the fast
  // readers took it (digits only, at least 1) and it has no leading zero, else written out.
  if (const std::string_view item = row[size_t(C::kOrderItemId)]; fast && item[0] != '0') {
    e.id.assign(item);
  } else {
    char digits[24];
    e.id.assign(digits, std::to_chars(digits, digits + sizeof digits, o.order_item_id).ptr);
  }
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
