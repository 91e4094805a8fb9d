#include "ingest/event_parser.h"

#include <fmt/format.h>

#include <cstring>
#include <type_traits>
#include <variant>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/checksum.h"
#include "core/event_time.h"
#include "ingest/finance_event_writer.h"
#include "ingest/json_document.h"

namespace ledgerflow {
namespace {

using simdjson::ondemand::json_type;

// Field bits, to detect duplicates and missing fields without allocating.
enum Field : uint32_t {
  kId = 1u << 0,
  kProdId = 1u << 1,
  kProdName = 1u << 2,
  kUnitSold = 1u << 3,
  kReorderPoint = 1u << 4,
  kPrice = 1u << 5,
  kDt = 1u << 6,
  kStoreId = 1u << 7,
  kUnitReceived = 1u << 8,
  kType = 1u << 9,
};

struct FieldName {
  std::string_view name;
  Field bit;
};
constexpr FieldName kFields[] = {
    {"id", kId},
    {"prod_id", kProdId},
    {"prod_name", kProdName},
    {"unit_sold", kUnitSold},
    {"reorder_point", kReorderPoint},
    {"regular_unit_price", kPrice},
    {"dt", kDt},
    {"store_id", kStoreId},
    {"unit_received", kUnitReceived},
    {"type", kType},
};
// Field names told apart by length first: a line has seven or eight keys, and comparing each
// with all ten names was a memcmp call per name of the same length.
constexpr Field field_bit(std::string_view key) {
  switch (key.size()) {
    case 2:
      return key == "id" ? kId : key == "dt" ? kDt : Field(0);
    case 4:
      return key == "type" ? kType : Field(0);
    case 7:
      return key == "prod_id" ? kProdId : Field(0);
    case 8:
      return key == "store_id" ? kStoreId : Field(0);
    case 9:
      return key == "prod_name" ? kProdName : key == "unit_sold" ? kUnitSold : Field(0);
    case 13:
      return key == "reorder_point"   ? kReorderPoint
             : key == "unit_received" ? kUnitReceived
                                      : Field(0);
    case 18:
      return key == "regular_unit_price" ? kPrice : Field(0);
    default:
      return Field(0);
  }
}

// Longest "dt" and "type" values read.
constexpr size_t kMaxDtBytes = 64;
constexpr size_t kMaxTypeBytes = 64;

// sizeof(Event) on the platforms built here (x86-64, libstdc++); see parse_object.
constexpr size_t kEventSize = 176;

constexpr bool field_bits_agree() {
  for (const FieldName& f : kFields) {
    if (field_bit(f.name) != f.bit) return false;
  }
  return true;
}
static_assert(field_bits_agree(), "field_bit() must know every name in kFields");

constexpr uint32_t kSaleRequired =
    kId | kProdId | kProdName | kUnitSold | kReorderPoint | kPrice | kDt;
constexpr uint32_t kSaleAllowed = kSaleRequired | kStoreId | kType;
constexpr uint32_t kShipmentRequired = kId | kProdId | kUnitReceived | kDt;
constexpr uint32_t kShipmentAllowed = kShipmentRequired | kStoreId | kType;

Status wrong_type(std::string_view field, const char* want) {
  return Status::bad_input("wrong_type", fmt::format("field \"{}\" must be {}", field, want));
}

Status out_of_range(std::string_view field, int64_t lo, int64_t hi) {
  return Status::bad_input("out_of_range",
                           fmt::format("field \"{}\" must be between {} and {}", field, lo, hi));
}

// Reads a JSON integer within [lo, hi]. Floats ("4.0"), strings and huge values are refused.
Status read_int(simdjson::ondemand::value v, std::string_view field, int64_t lo, int64_t hi,
                int64_t* out) {
  // The common case in one pass: get_int64 accepts exactly the tokens that the checks below
  // classify as signed integers, and leaves the value unread when it fails. Only then is the
  // token looked at again to say what is wrong with it (asking for the number type first
  // parsed every number twice).
  int64_t x;
  if (v.get_int64().get(x) == simdjson::SUCCESS) {
    if (x < lo || x > hi) return out_of_range(field, lo, hi);
    *out = x;
    return Status::ok();
  }
  json_type t;
  if (v.type().get(t) || t != json_type::number) return wrong_type(field, "an integer");
  simdjson::ondemand::number_type nt;
  if (v.get_number_type().get(nt)) return wrong_type(field, "an integer");
  if (nt == simdjson::ondemand::number_type::unsigned_integer) return out_of_range(field, lo, hi);
  return wrong_type(field, "an integer");
}

// The view stays valid until the parser's next document (simdjson keeps unescaped strings in
// its per-document buffer), so fields needed only during parsing are never copied.
Status read_string(simdjson::ondemand::value v, std::string_view field, size_t max_bytes,
                   bool allow_empty, std::string_view* out) {
  json_type t;
  if (v.type().get(t) || t != json_type::string) return wrong_type(field, "a string");
  std::string_view s;
  if (auto e = v.get_string().get(s)) return json_error(e);
  if (s.size() > max_bytes) {
    return Status::bad_input("string_too_long",
                             fmt::format("field \"{}\" is longer than {} bytes", field, max_bytes));
  }
  if (!allow_empty && s.find_first_not_of(" \t") == std::string_view::npos) {
    return Status::bad_input("empty_field", fmt::format("field \"{}\" is empty", field));
  }
  *out = s;
  return Status::ok();
}

// Money is read from the number's own text so no binary floating point is involved.
Status read_money(simdjson::ondemand::value v, std::string_view field, int64_t max_units,
                  Money* out) {
  json_type t;
  if (v.type().get(t) || t != json_type::number) return wrong_type(field, "a decimal number");
  Result<Money> m = Money::parse(json_number_text(v));
  if (!m) {
    return Status::bad_input(m.status().code(),
                             fmt::format("field \"{}\": {}", field, m.status().message()));
  }
  if (m->micros() < 0 || m->micros() > max_units * Money::kScale) {
    return out_of_range(field, 0, max_units);
  }
  *out = *m;
  return Status::ok();
}

}  // namespace

// The finance parser shares the line limit, so one setting bounds every input line.
EventParser::EventParser(ParseLimits limits) : limits_(limits), finance_(finance_limits(limits)) {}

namespace {

// The "type" field of a line sent without an implied type, when it names a finance event. A
// line simdjson finds broken while looking (an object never closed: "{") is refused here, as
// the typed pass would refuse it: rewinding such a document crashes simdjson 3.0.1.
Status named_finance_type(simdjson::ondemand::document& doc, std::optional<FinanceEventType>* out) {
  std::string_view name;
  FinanceEventType t;
  const simdjson::error_code e = doc.find_field_unordered("type").get_string().get(name);
  if (e == simdjson::SUCCESS) {
    if (finance_event_type_from_name(name, &t)) *out = t;
  } else if (e != simdjson::NO_SUCH_FIELD && e != simdjson::INCORRECT_TYPE) {
    return json_error(e);
  }
  doc.rewind();
  return Status::ok();
}

}  // namespace

Status EventParser::parse_finance(std::string_view line, std::optional<FinanceEventType> type,
                                  Event* out) {
  FinanceEvent fe;
  if (Status s = finance_.parse(line, type, &fe); !s) return s;
  fill_finance_event(std::move(fe), out);
  return Status::ok();
}

FinanceParseLimits finance_limits(const ParseLimits& limits) {
  FinanceParseLimits f = limits.finance;
  f.max_line_bytes = limits.max_line_bytes;
  return f;
}

void fill_finance_event(FinanceEvent fe, Event* out) {
  Event& e = *out;
  e = Event{};
  e.type = event_type_of(finance_event_type(fe));
  std::visit([&](const auto& x) { e.id = x.id; }, fe);
  if (const auto* order = std::get_if<finance::CustomerOrder>(&fe)) {
    e.event_time_ms = order->time_ms;
  } else {
    e.event_time_ms = finance_business_day(fe).value_or(0) * kMsPerDay;
  }
  if (std::holds_alternative<finance::Supplier>(fe)) {
    e.prod_id = int64_t(hash64(finance_event_json(fe)) >> 1);
  }
  e.finance = std::make_shared<const FinanceEvent>(std::move(fe));
  e.id_key = event_identity(e);
}

Status EventParser::parse(std::string_view line, std::optional<EventType> type, Event* out) {
  if (line.size() > limits_.max_line_bytes) {
    return Status::bad_input("line_too_long",
                             fmt::format("line of {} bytes exceeds the limit of {}", line.size(),
                                         limits_.max_line_bytes));
  }
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
    return Status::bad_input("empty_line", "the line is empty");
  }
  if (type == EventType::kOrderLine) return order_lines_.parse_json(line, out);
  if (type && is_finance_event(*type)) return parse_finance(line, finance_type_of(*type), out);
  if (flat_scan_ && parse_flat(line, type, out)) {
    ++flat_parsed_;
    return Status::ok();
  }
  simdjson::ondemand::document doc;
  if (Status s = open_json_object(parser_, scratch_, line, &doc); !s) return s;
  if (!type) {
    std::optional<FinanceEventType> f;
    if (Status s = named_finance_type(doc, &f); !s) return s;
    if (f) return parse_finance(line, f, out);
  }
  simdjson::ondemand::object obj;
  if (auto e = doc.get_object().get(obj)) return json_error(e);
  Status s = parse_object(obj, type, out);
  if (!s) return s;
  return expect_document_end(doc);
}

// A reading of the wall clock no later than now decides acceptance: an event within the bound
// of an earlier reading is within the bound of now. The clock is read again for an event that
// looks too far ahead (so refusals use a fresh reading) and every kClockReuse events (so a
// clock stepped back is noticed soon). A read per line showed in the Kafka consumer's profile.
bool EventParser::too_far_ahead(int64_t event_ms) {
  if (clock_uses_left_ == 0 || event_ms > clock_ms_ + limits_.max_future_ms) {
    clock_ms_ = now_ms();
    clock_uses_left_ = kClockReuse;
  }
  --clock_uses_left_;
  return event_ms > clock_ms_ + limits_.max_future_ms;
}

struct EventParser::Fields {
  uint32_t seen = 0;  // Field bits
  int32_t store_id = kDefaultStoreId;
  int64_t prod_id = 0;
  int64_t units = 0;
  int64_t reorder_point = -1;
  Money unit_price;
  std::string_view id, prod_name, dt, type_name;
};

Status EventParser::parse_object(simdjson::ondemand::object obj, std::optional<EventType> type,
                                 Event* out) {
  // Scalars are read here and strings stay views into simdjson's buffer until the line is
  // valid; then *out is filled in place (it is usually a record's slot in a batch).
  Fields e;
  for (auto field_result : obj) {
    simdjson::ondemand::field field;
    if (auto err = std::move(field_result).get(field)) return json_error(err);
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) return json_error(err);
    Field bit = field_bit(key);
    if (bit == 0) {
      std::string shown(key.substr(0, 64));
      return Status::bad_input("unknown_field", fmt::format("unknown field \"{}\"", shown));
    }
    if (e.seen & bit) {
      return Status::bad_input("duplicate_field", fmt::format("field \"{}\" appears twice", key));
    }
    e.seen |= bit;
    simdjson::ondemand::value v = field.value();
    Status s;
    switch (bit) {
      case kId:
        s = read_string(v, "id", limits_.max_id_bytes, false, &e.id);
        break;
      case kProdId:
        s = read_int(v, "prod_id", 1, limits_.max_prod_id, &e.prod_id);
        break;
      case kProdName:
        s = read_string(v, "prod_name", limits_.max_name_bytes, false, &e.prod_name);
        break;
      case kUnitSold:
      case kUnitReceived:
        s = read_int(v, key, 1, limits_.max_units, &e.units);
        break;
      case kReorderPoint:
        s = read_int(v, "reorder_point", 0, limits_.max_reorder_point, &e.reorder_point);
        break;
      case kPrice:
        s = read_money(v, "regular_unit_price", limits_.max_unit_price_units, &e.unit_price);
        break;
      case kDt:
        s = read_string(v, "dt", kMaxDtBytes, false, &e.dt);
        break;
      case kStoreId: {
        int64_t store = 0;
        s = read_int(v, "store_id", 1, limits_.max_store_id, &store);
        e.store_id = int32_t(store);
        break;
      }
      case kType:
        s = read_string(v, "type", kMaxTypeBytes, false, &e.type_name);
        break;
    }
    if (!s) return s;
  }
  return finish(e, type, out);
}

namespace {

// The lines parse_flat reads are printable ASCII without a backslash: no byte that needs
// UTF-8 validation, no control character (JSON refuses them unescaped in strings) and no
// escape, so a string's bytes between its quotes are its value.
bool plain_ascii(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  size_t i = 0;
#if defined(__SSE2__)
  // Signed bytes: anything from 0x80 up is negative, so one "less than 0x20" covers both ends.
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i del = _mm_set1_epi8(0x7f);
  const __m128i backslash = _mm_set1_epi8('\\');
  __m128i bad = _mm_setzero_si128();
  auto check = [&](const char* at) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    bad = _mm_or_si128(bad, _mm_cmplt_epi8(v, space));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, del));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, backslash));
  };
  for (; i + 16 <= n; i += 16) check(p + i);
  // The last bytes of a line of 16 or more: one load of its last 16 bytes (some checked twice).
  if (i < n && n >= 16) {
    check(p + n - 16);
    i = n;
  }
  if (_mm_movemask_epi8(bad) != 0) return false;
#endif
  for (; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c >= 0x7f || c == '\\') return false;
  }
  return true;
}

// The first '"' in [s, end), or nullptr: 16 bytes at a time while they lie before `end`, then
// memchr for the rest (a memchr call per key and string was 6 % of the consumer thread).
const char* find_quote(const char* s, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  while (end - s >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
    if (int m = _mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)); m != 0)
      return s + __builtin_ctz(unsigned(m));
    s += 16;
  }
#endif
  return static_cast<const char*>(std::memchr(s, '"', size_t(end - s)));
}

// A quoted string at *p (before `end`); *p moves past its closing quote. Refuses what
// read_string refuses (too long, empty or blank: the line has no tab, see plain_ascii).
bool flat_string(const char** p, const char* end, size_t max_bytes, std::string_view* out) {
  const char* s = *p;
  if (s == end || *s != '"') return false;
  ++s;
  const char* q = find_quote(s, end);
  if (!q) return false;
  std::string_view v(s, size_t(q - s));
  if (v.size() > max_bytes || v.find_first_not_of(' ') == std::string_view::npos) return false;
  *out = v;
  *p = q + 1;
  return true;
}

// A JSON integer written as 0 or [1-9][0-9]* (at most 18 digits: no overflow) within
// [lo, hi]. Signs, fractions, exponents and leading zeros are left to simdjson.
bool flat_int(const char** p, const char* end, int64_t lo, int64_t hi, int64_t* out) {
  const char* s = *p;
  if (s == end || *s < '0' || *s > '9') return false;
  int64_t x = *s++ - '0';
  if (x != 0) {
    for (int digits = 1; s != end && *s >= '0' && *s <= '9'; ++s) {
      if (++digits > 18) return false;
      x = x * 10 + (*s - '0');
    }
  }
  if (x < lo || x > hi) return false;
  *out = x;
  *p = s;
  return true;
}

// A decimal number made of digits and dots only, read by Money::parse from its own text as
// read_money does (simdjson gives read_money the same text: the token ends at ',' or '}').
bool flat_money(const char** p, const char* end, int64_t max_units, Money* out) {
  const char* s = *p;
  if (s == end || *s < '0' || *s > '9') return false;
  const char* t = s;
  while (t != end && ((*t >= '0' && *t <= '9') || *t == '.')) ++t;
  Result<Money> m = Money::parse(std::string_view(s, size_t(t - s)));
  if (!m || m->micros() < 0 || m->micros() > max_units * Money::kScale) return false;
  *out = *m;
  *p = t;
  return true;
}

}  // namespace

bool EventParser::parse_flat(std::string_view line, std::optional<EventType> type, Event* out) {
  if (line.size() < 2 || line.front() != '{' || line.back() != '}' || !plain_ascii(line))
    return false;
  const char* p = line.data() + 1;
  const char* end = line.data() + line.size() - 1;  // the closing brace
  Fields e;
  for (;;) {
    // "key":value, with no whitespace anywhere outside strings.
    if (p == end || *p != '"') return false;
    const char* k = p + 1;
    const char* q = find_quote(k, end);
    if (!q) return false;
    Field bit = field_bit(std::string_view(k, size_t(q - k)));
    if (bit == 0 || (e.seen & bit)) return false;
    e.seen |= bit;
    p = q + 1;
    if (p == end || *p != ':') return false;
    ++p;
    bool ok = false;
    switch (bit) {
      case kId:
        ok = flat_string(&p, end, limits_.max_id_bytes, &e.id);
        break;
      case kProdId:
        ok = flat_int(&p, end, 1, limits_.max_prod_id, &e.prod_id);
        break;
      case kProdName:
        ok = flat_string(&p, end, limits_.max_name_bytes, &e.prod_name);
        break;
      case kUnitSold:
      case kUnitReceived:
        ok = flat_int(&p, end, 1, limits_.max_units, &e.units);
        break;
      case kReorderPoint:
        ok = flat_int(&p, end, 0, limits_.max_reorder_point, &e.reorder_point);
        break;
      case kPrice:
        ok = flat_money(&p, end, limits_.max_unit_price_units, &e.unit_price);
        break;
      case kDt:
        ok = flat_string(&p, end, kMaxDtBytes, &e.dt);
        break;
      case kStoreId: {
        int64_t store = 0;
        ok = flat_int(&p, end, 1, limits_.max_store_id, &store);
        e.store_id = int32_t(store);
        break;
      }
      case kType:
        ok = flat_string(&p, end, kMaxTypeBytes, &e.type_name);
        break;
    }
    if (!ok) return false;
    if (p == end) break;
    if (*p != ',') return false;
    ++p;
  }
  // A line without an implied type that names a finance event belongs to the finance parser.
  if (!type) {
    EventType named;
    if (!(e.seen & kType) || !event_type_from_name(e.type_name, &named) ||
        (named != EventType::kSale && named != EventType::kShipment))
      return false;
  }
  return finish(e, type, out).is_ok();
}

Status EventParser::finish(const Fields& e, std::optional<EventType> type, Event* out) {
  if (e.seen & kType) {
    EventType named;
    if (!event_type_from_name(e.type_name, &named)) {
      return Status::bad_input(
          "unknown_type",
          fmt::format("unknown event type \"{}\"", std::string_view(e.type_name).substr(0, 64)));
    }
    if (named == EventType::kOrderLine) {
      return Status::bad_input("unknown_type",
                               "order lines are DataCo header-keyed objects: send them to "
                               "/api/v1/events/order_line or topic supply_chain_data");
    }
    if (type && *type != named) {
      return Status::bad_input("type_mismatch",
                               fmt::format("event type \"{}\" does not match the topic \"{}\"",
                                           e.type_name, event_type_topic(*type)));
    }
    type = named;
  }
  if (!type) return Status::bad_input("missing_field", "missing field \"type\"");
  uint32_t required = *type == EventType::kSale ? kSaleRequired : kShipmentRequired;
  uint32_t allowed = *type == EventType::kSale ? kSaleAllowed : kShipmentAllowed;
  if (uint32_t extra = e.seen & ~allowed) {
    for (const FieldName& f : kFields) {
      if (extra & f.bit) {
        return Status::bad_input("unknown_field",
                                 fmt::format("field \"{}\" does not belong to a {} event", f.name,
                                             event_type_topic(*type)));
      }
    }
  }
  if (uint32_t missing = required & ~e.seen) {
    for (const FieldName& f : kFields) {
      if (missing & f.bit) {
        return Status::bad_input("missing_field", fmt::format("missing field \"{}\"", f.name));
      }
    }
  }
  Result<int64_t> ms = parse_event_time_ms(e.dt);
  if (!ms) return ms.status();
  if (too_far_ahead(*ms)) {
    return Status::bad_input(
        "time_in_future",
        fmt::format("dt {} is more than {} ms ahead of the clock", e.dt, limits_.max_future_ms));
  }
  // Every field of Event is set: *out may hold an earlier event. The size check makes whoever
  // adds a field to Event come here too.
  static_assert(sizeof(Event) == kEventSize, "a new Event field: set it below");
  Event& out_e = *out;
  out_e.type = *type;
  out_e.store_id = e.store_id;
  out_e.prod_id = e.prod_id;
  out_e.units = e.units;
  out_e.reorder_point = e.reorder_point;
  out_e.unit_price = e.unit_price;
  out_e.event_time_ms = *ms;
  out_e.id.assign(e.id);
  out_e.prod_name.assign(e.prod_name);
  out_e.order_line.reset();
  out_e.finance.reset();
  out_e.id_key = event_identity(out_e);
  out_e.offset = 0;
  out_e.ingest_time_ms = 0;
  return Status::ok();
}

}  // namespace ledgerflow
