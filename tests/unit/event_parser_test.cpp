#include <gtest/gtest.h>

#include "core/event_time.h"
#include "ingest/event_parser.h"

using namespace ledgerflow;

namespace {

const char* kSale =
    R"({"id":"6f1c","prod_id":4,"prod_name":"Whole Milk 1L","unit_sold":3,"reorder_point":150,)"
    R"("regular_unit_price":2.75,"dt":"2024-05-01 12:00:00.123"})";

std::string code_of(std::string_view line, std::optional<EventType> type = EventType::kSale) {
  EventParser p;
  Event e;
  Status s = p.parse(line, type, &e);
  return s ? "ok" : s.code();
}

}  // namespace

TEST(EventParser, AcceptsSeedSale) {
  EventParser p;
  Event e;
  ASSERT_TRUE(p.parse(kSale, EventType::kSale, &e))
      << p.parse(kSale, EventType::kSale, &e).to_string();
  EXPECT_EQ(e.type, EventType::kSale);
  EXPECT_EQ(e.id, "6f1c");
  EXPECT_EQ(e.prod_id, 4);
  EXPECT_EQ(e.prod_name, "Whole Milk 1L");
  EXPECT_EQ(e.units, 3);
  EXPECT_EQ(e.reorder_point, 150);
  EXPECT_EQ(e.unit_price.micros(), 2'750'000);
  EXPECT_EQ(e.event_time_ms, 1714564800123);
  EXPECT_EQ(e.store_id, kDefaultStoreId);
}

TEST(EventParser, AcceptsShipmentWithStoreAndType) {
  EventParser p;
  Event e;
  std::string line = R"({"type":"inventory_shipment","id":"s-1","prod_id":9,"unit_received":500,)"
                     R"("dt":"2024-05-01T12:00:00Z","store_id":3})";
  ASSERT_TRUE(p.parse(line, std::nullopt, &e));
  EXPECT_EQ(e.type, EventType::kShipment);
  EXPECT_EQ(e.units, 500);
  EXPECT_EQ(e.store_id, 3);
}

TEST(EventParser, SaleIdentityIsReceiptAndProduct) {
  EventParser p;
  Event a, b, c;
  ASSERT_TRUE(p.parse(kSale, EventType::kSale, &a));
  std::string other = kSale;
  other.replace(other.find("\"prod_id\":4"), 11, "\"prod_id\":5");
  ASSERT_TRUE(p.parse(other, EventType::kSale, &b));
  ASSERT_TRUE(p.parse(kSale, EventType::kSale, &c));
  EXPECT_FALSE(a.id_key == b.id_key);
  EXPECT_TRUE(a.id_key == c.id_key);
}

TEST(EventParser, RejectionsHaveStableCodes) {
  EXPECT_EQ(code_of("{"), "invalid_json");
  EXPECT_EQ(code_of("[1,2]"), "not_object");
  EXPECT_EQ(code_of("\"x\""), "not_object");
  EXPECT_EQ(code_of(""), "empty_line");
  EXPECT_EQ(code_of("{\"id\":\"\xff\xfe\"}"), "invalid_utf8");
  EXPECT_EQ(code_of(R"({"id":"a","prod_id":4})"), "missing_field");
  EXPECT_EQ(code_of(std::string(kSale).insert(1, "\"extra\":1,")), "unknown_field");
  EXPECT_EQ(code_of(std::string(kSale).insert(1, "\"unit_received\":1,")), "unknown_field");
  EXPECT_EQ(code_of(std::string(kSale).insert(1, "\"prod_id\":4,")), "duplicate_field");
  EXPECT_EQ(code_of(std::string(kSale) + " {}"), "invalid_json");
}

// Regression: a line sent without an implied type (HTTP without a type, a Kafka topic of mixed
// events) is searched for "type" first, and rewinding a document simdjson found unclosed
// crashed the process ("{" was a segfault). Each is refused as invalid JSON (the typed pass may
// name an earlier fault first: an unknown key before the break), and a line whose "type" is not
// a string still goes on to name what is wrong.
TEST(EventParser, UnclosedLinesWithoutAnImpliedTypeAreRefusedNotCrashed) {
  for (std::string_view line :
       {"{", "{{", R"({"type":)", R"({"type":"sale")", R"({"type":"supplier",)",
        R"({"type":"sale","id":[)", R"({"a":{})", R"({"x":[})", R"({"type":1,)"}) {
    EXPECT_EQ(code_of(line, std::nullopt), "invalid_json") << line;
    EXPECT_NE(code_of(line), "ok") << line;
  }
  EXPECT_EQ(code_of(R"({"type":{"x":1}})", std::nullopt), "wrong_type");
  EXPECT_EQ(code_of(R"({"prod_id":4})", std::nullopt), "missing_field");
}

TEST(EventParser, ChecksTypesAndRanges) {
  auto with = [](const std::string& field, const std::string& value) {
    std::string s = kSale;
    size_t k = s.find("\"" + field + "\":");
    size_t v = k + field.size() + 3;
    size_t end = s.find_first_of(",}", v);
    if (s[v] == '"') end = s.find('"', v + 1) + 1;
    return s.substr(0, v) + value + s.substr(end);
  };
  EXPECT_EQ(code_of(with("unit_sold", "-3")), "out_of_range");
  EXPECT_EQ(code_of(with("unit_sold", "0")), "out_of_range");
  EXPECT_EQ(code_of(with("unit_sold", "3.0")), "wrong_type");
  EXPECT_EQ(code_of(with("unit_sold", "\"3\"")), "wrong_type");
  EXPECT_EQ(code_of(with("unit_sold", "99999999999999999999")), "out_of_range");
  EXPECT_EQ(code_of(with("unit_sold", "1e400")), "wrong_type");
  // Integers are read in one pass (get_int64) and only a refused token is classified: every
  // other kind of token still gets its own reason.
  EXPECT_EQ(code_of(with("unit_sold", "3e0")), "wrong_type");
  EXPECT_EQ(code_of(with("unit_sold", "-0")), "out_of_range");
  EXPECT_EQ(code_of(with("unit_sold", "true")), "wrong_type");
  EXPECT_EQ(code_of(with("unit_sold", "null")), "wrong_type");
  EXPECT_EQ(code_of(with("unit_sold", "[3]")), "wrong_type");
  EXPECT_EQ(code_of(with("unit_sold", "9223372036854775807")), "out_of_range");
  EXPECT_EQ(code_of(with("unit_sold", "18446744073709551615")), "out_of_range");
  EXPECT_EQ(code_of(with("unit_sold", "12")), "ok");
  EXPECT_EQ(code_of(with("prod_id", "{\"a\":{\"b\":1}}")), "wrong_type");
  EXPECT_EQ(code_of(with("regular_unit_price", "-1")), "out_of_range");
  EXPECT_EQ(code_of(with("regular_unit_price", "1e400")), "invalid_money");
  EXPECT_EQ(code_of(with("regular_unit_price", "2.7500001")), "too_many_decimals");
  EXPECT_EQ(code_of(with("regular_unit_price", "\"2.75\"")), "wrong_type");
  EXPECT_EQ(code_of(with("dt", "\"2024-02-30 00:00:00\"")), "invalid_time");
  EXPECT_EQ(code_of(with("prod_name", "\"\"")), "empty_field");
  EXPECT_EQ(code_of(with("prod_name", "\"" + std::string(300, 'x') + "\"")), "string_too_long");
  EXPECT_EQ(code_of(std::string(kSale).insert(1, "\"store_id\":0,")), "out_of_range");
  EXPECT_EQ(code_of(std::string(kSale).insert(1, "\"store_id\":7,")), "ok");
}

TEST(EventParser, TypeFieldMustAgreeWithTopic) {
  std::string typed = std::string(kSale).insert(1, "\"type\":\"inventory_shipment\",");
  EXPECT_EQ(code_of(typed, EventType::kSale), "type_mismatch");
  EXPECT_EQ(code_of(kSale, std::nullopt), "missing_field");
  EXPECT_EQ(code_of(std::string(kSale).insert(1, "\"type\":\"refund\","), std::nullopt),
            "unknown_type");
}

TEST(EventParser, EnforcesLineLimitAndDepth) {
  ParseLimits limits;
  limits.max_line_bytes = 100;
  EventParser p(limits);
  Event e;
  EXPECT_EQ(p.parse(std::string(200, ' '), EventType::kSale, &e).code(), "line_too_long");
  EventParser deep;
  std::string nested = std::string(5000, '[') + std::string(5000, ']');
  Status s = deep.parse(nested, EventType::kSale, &e);
  EXPECT_FALSE(s.is_ok());
}

TEST(EventParser, UnescapesStrings) {
  EventParser p;
  Event e;
  std::string line = std::string(kSale);
  line.replace(line.find("Whole Milk 1L"), 13, "Caf\\u00e9 \\\"Noir\\\"");
  ASSERT_TRUE(p.parse(line, EventType::kSale, &e));
  EXPECT_EQ(e.prod_name, "Caf\xc3\xa9 \"Noir\"");
}

TEST(EventParser, RefusesEventsFarInTheFuture) {
  std::string line = kSale;
  line.replace(line.find("2024-05-01"), 10, "2150-05-01");
  EXPECT_EQ(code_of(line), "time_in_future");
  std::string soon = kSale;
  soon.replace(soon.find("2024-05-01 12:00:00.123"), 23, format_event_time(now_ms() + 3'600'000));
  EXPECT_EQ(code_of(soon), "ok");
}
