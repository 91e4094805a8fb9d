// EventParser's flat scan (compact printable-ASCII sales and shipments read without simdjson)
// against the simdjson path it short-cuts: for every line, valid or not, both must give the same
// status (code and message) and, when accepted, the same event.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "ingest/catalog.h"
#include "ingest/event_parser.h"
#include "sources/bench_data.h"
#include "sources/generator.h"

using namespace ledgerflow;

namespace {

// Both paths over one line; returns true if the flat scan accepted it.
bool same_result(EventParser& flat, EventParser& full, std::string_view line,
                 std::optional<EventType> type) {
  uint64_t before = flat.flat_parsed();
  Event a, b;
  Status sa = flat.parse(line, type, &a);
  Status sb = full.parse(line, type, &b);
  EXPECT_EQ(sa.is_ok(), sb.is_ok()) << line;
  EXPECT_EQ(sa.code(), sb.code()) << line;
  EXPECT_EQ(sa.message(), sb.message()) << line;
  if (sa && sb) {
    EXPECT_EQ(a.type, b.type) << line;
    EXPECT_EQ(a.store_id, b.store_id) << line;
    EXPECT_EQ(a.prod_id, b.prod_id) << line;
    EXPECT_EQ(a.units, b.units) << line;
    EXPECT_EQ(a.reorder_point, b.reorder_point) << line;
    EXPECT_EQ(a.unit_price.micros(), b.unit_price.micros()) << line;
    EXPECT_EQ(a.event_time_ms, b.event_time_ms) << line;
    EXPECT_EQ(a.id, b.id) << line;
    EXPECT_EQ(a.prod_name, b.prod_name) << line;
    EXPECT_TRUE(a.id_key == b.id_key) << line;
    EXPECT_EQ(a.order_line, nullptr);
    EXPECT_EQ(a.finance, nullptr);
    EXPECT_EQ(a.offset, b.offset);
    EXPECT_EQ(a.ingest_time_ms, b.ingest_time_ms);
  }
  return flat.flat_parsed() > before;
}

struct Parsers {
  EventParser flat;
  EventParser full;
  explicit Parsers(ParseLimits limits = {}) : flat(limits), full(limits) {
    full.set_flat_scan(false);
  }
};

const std::vector<std::optional<EventType>> kTypes = {EventType::kSale, EventType::kShipment,
                                                      std::nullopt};
// Without an implied type, simdjson's path crashes on some malformed lines ("{": a rewind after
// find_field_unordered in named_finance_type), on main as well: the malformed lines are
// compared with a type only.
const std::vector<std::optional<EventType>> kImpliedTypes = {EventType::kSale,
                                                             EventType::kShipment};

const char* kSale =
    R"({"id":"6f1c-7","prod_id":4,"prod_name":"Whole Milk 1L","unit_sold":3,"reorder_point":150,)"
    R"("regular_unit_price":2.75,"dt":"2024-05-01 12:00:00.123","store_id":2})";
const char* kShipment =
    R"({"type":"inventory_shipment","id":"s-1","prod_id":9,"unit_received":500,)"
    R"("dt":"2024-05-01T12:00:00Z","store_id":3})";

}  // namespace

TEST(EventParserFlat, ServesEveryBenchLineWithTheSameEvent) {
  Parsers p;
  Generator gen(&Catalog::builtin(), bench_generator_options(20'000));
  GeneratedLine line;
  size_t n = 0, flat = 0;
  while (gen.next(&line)) {
    ++n;
    flat += same_result(p.flat, p.full, line.json, line.type);
  }
  EXPECT_EQ(n, 20'000u);
  EXPECT_EQ(flat, n);  // the scan is meant for exactly these lines
  EXPECT_EQ(p.full.flat_parsed(), 0u);
}

TEST(EventParserFlat, AcceptsTypeFieldAndAnyFieldOrder) {
  Parsers p;
  for (auto type : kTypes) {
    bool shipment_ok = type != EventType::kSale;
    EXPECT_EQ(same_result(p.flat, p.full, kShipment, type), shipment_ok);
    EXPECT_EQ(same_result(p.flat, p.full, kSale, type), type == EventType::kSale);
  }
  std::string reordered =
      R"({"store_id":2,"dt":"2024-05-01 12:00:00.123","regular_unit_price":2.75,)"
      R"("reorder_point":150,"unit_sold":3,"prod_name":"Whole Milk 1L","prod_id":4,"id":"6f1c-7",)"
      R"("type":"sale"})";
  EXPECT_TRUE(same_result(p.flat, p.full, reordered, EventType::kSale));
  EXPECT_TRUE(same_result(p.flat, p.full, reordered, std::nullopt));
}

TEST(EventParserFlat, LeavesEveryRefusalToSimdjson) {
  Parsers p;
  const std::vector<std::string> refused = {
      "",
      " ",
      "{}",
      "[]",
      "{",
      "}",
      R"({"id":"a"})",
      R"({"id":"a",})",
      R"({"id":"a"}})",
      R"({"id":"a"} )",
      R"( {"id":"a"})",
      R"({"id" :"a"})",
      R"({"id":"a", "prod_id":1})",
      R"({"id":"a","id":"b"})",
      R"({"idx":"a"})",
      R"({"id":"","prod_id":1,"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"   ","prod_id":1,"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"a","prod_id":0,"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"a","prod_id":01,"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"a","prod_id":-1,"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"a","prod_id":1.0,"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"a","prod_id":1e2,"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"a","prod_id":"1","unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"a","prod_id":true,"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"a","prod_id":null,"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"a","prod_id":[1],"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"a","prod_id":{},"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"a","prod_id":1,"unit_received":5,"dt":"2024-05-01"})",
      R"({"id":"a","prod_id":1,"unit_received":5,"dt":"2199-05-01 12:00:00"})",
      R"({"id":"a","prod_id":1,"unit_received":5})",
      R"({"id":"a","prod_id":1,"unit_received":5,"dt":"2024-05-01 12:00:00","unit_sold":1})",
      R"({"id":"a\"b","prod_id":1,"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      R"({"id":"a\u0041","prod_id":1,"unit_received":5,"dt":"2024-05-01 12:00:00"})",
      "{\"id\":\"a\tb\",\"prod_id\":1,\"unit_received\":5,\"dt\":\"2024-05-01 12:00:00\"}",
      "{\"id\":\"caf\xc3\xa9\",\"prod_id\":1,\"unit_received\":5,\"dt\":\"2024-05-01 12:00:00\"}",
      "{\"id\":\"caf\xff\",\"prod_id\":1,\"unit_received\":5,\"dt\":\"2024-05-01 12:00:00\"}",
      "{\"id\":\"a\x7f\",\"prod_id\":1,\"unit_received\":5,\"dt\":\"2024-05-01 12:00:00\"}",
      R"({"id":"a","prod_id":1,"unit_received":5,"dt":"2024-05-01 12:00:00","type":"invoice"})",
      R"({"id":"a","prod_id":1,"unit_received":5,"dt":"2024-05-01 12:00:00","type":"sale"})",
      R"({"id":"a","prod_id":1,"unit_received":5,"dt":"2024-05-01 12:00:00","type":"nope"})",
      R"({"id":"a","prod_id":1,"unit_received":5,"dt":"2024-05-01 12:00:00","type":"order_line"})",
      R"({"id":"a","prod_id":1,"unit_received":5,"dt":"2024-05-01 12:00:00","type":""})",
  };
  for (const std::string& line : refused) {
    for (auto type : kImpliedTypes) EXPECT_FALSE(same_result(p.flat, p.full, line, type)) << line;
  }
  // Prices: the scan hands Money::parse the same text read_money does, or leaves the line.
  for (const char* price : {"0", "0.0", "2.75", "2.", ".5", "1.2.3", "2.7500001", "1e3", "-1",
                            "00.5", "1000000000", "1000000000.01", "\"2.75\"", "2.75 "}) {
    std::string line = std::string(R"({"id":"a","prod_id":1,"prod_name":"n","unit_sold":1,)") +
                       R"("reorder_point":0,"regular_unit_price":)" + price +
                       R"(,"dt":"2024-05-01 12:00:00"})";
    same_result(p.flat, p.full, line, EventType::kSale);
  }
}

TEST(EventParserFlat, LimitsAtTheirEdges) {
  ParseLimits limits;
  limits.max_id_bytes = 8;
  limits.max_name_bytes = 10;
  limits.max_prod_id = 999;
  limits.max_units = 50;
  limits.max_store_id = 7;
  limits.max_reorder_point = 100;
  limits.max_unit_price_units = 9;
  Parsers p(limits);
  auto sale = [](std::string id, std::string prod_id, std::string name, std::string units,
                 std::string reorder, std::string price, std::string store) {
    return R"({"id":")" + id + R"(","prod_id":)" + prod_id + R"(,"prod_name":")" + name +
           R"(","unit_sold":)" + units + R"(,"reorder_point":)" + reorder +
           R"(,"regular_unit_price":)" + price + R"(,"dt":"2024-05-01 12:00:00","store_id":)" +
           store + "}";
  };
  EXPECT_TRUE(same_result(p.flat, p.full,
                          sale("12345678", "999", "0123456789", "50", "100", "9", "7"),
                          EventType::kSale));
  EXPECT_TRUE(same_result(p.flat, p.full, sale("1", "1", "n", "1", "0", "0.000001", "1"),
                          EventType::kSale));
  for (const std::string& line :
       {sale("123456789", "1", "n", "1", "0", "1", "1"), sale("1", "1000", "n", "1", "0", "1", "1"),
        sale("1", "1", "01234567890", "1", "0", "1", "1"), sale("1", "1", "n", "51", "0", "1", "1"),
        sale("1", "1", "n", "0", "0", "1", "1"), sale("1", "1", "n", "1", "101", "1", "1"),
        sale("1", "1", "n", "1", "0", "9.000001", "1"), sale("1", "1", "n", "1", "0", "1", "8"),
        sale("1", "1", "n", "1", "0", "1", "0"),
        sale("1", "999999999999999999", "n", "1", "0", "1", "1"),
        sale("1", "9999999999999999999", "n", "1", "0", "1", "1"),
        sale("1", "99999999999999999999", "n", "1", "0", "1", "1")}) {
    EXPECT_FALSE(same_result(p.flat, p.full, line, EventType::kSale)) << line;
  }
}

TEST(EventParserFlat, LineLengthLimit) {
  std::string line = kSale;
  ParseLimits limits;
  limits.max_line_bytes = line.size();
  limits.max_name_bytes = 100'000;
  Parsers p(limits);
  EXPECT_TRUE(same_result(p.flat, p.full, line, EventType::kSale));
  std::string longer = line;
  longer.replace(longer.find("Whole Milk"), 5, "Whole ");
  EXPECT_FALSE(same_result(p.flat, p.full, longer, EventType::kSale));  // line_too_long
  // A long line the scan reads in 16-byte steps with a tail, every length from 100 to 200.
  Parsers q;
  std::string name;
  for (int i = 0; i < 100; ++i) {
    std::string l = R"({"id":"a","prod_id":1,"prod_name":")" + name +
                    R"(x","unit_sold":1,"reorder_point":0,"regular_unit_price":1,)"
                    R"("dt":"2024-05-01 12:00:00"})";
    EXPECT_TRUE(same_result(q.flat, q.full, l, EventType::kSale)) << l;
    std::string bad = l;
    bad[bad.size() - 10 - size_t(i % 7)] = '\x01';
    EXPECT_FALSE(same_result(q.flat, q.full, bad, EventType::kSale)) << bad;
    name += char('a' + i % 26);
  }
}

// Random edits of valid lines: whatever either path decides, both decide the same.
TEST(EventParserFlat, RandomEditsAgree) {
  Parsers p;
  std::vector<std::string> seeds = {kSale, kShipment};
  {
    Generator gen(&Catalog::builtin(), bench_generator_options(200));
    GeneratedLine line;
    while (gen.next(&line)) seeds.push_back(line.json);
  }
  const std::string alphabet = std::string("\"\\{}[]:,. -+0123456789eE\t\x01\x7f\xc3\xa9\xff") +
                               "abtrunlsxyz_" + std::string(1, '\0');
  std::mt19937_64 rng(12345);
  size_t accepted_flat = 0, accepted = 0;
  EventParser probe;
  probe.set_flat_scan(false);
  for (int i = 0; i < 40'000; ++i) {
    std::string line = seeds[rng() % seeds.size()];
    int edits = 1 + int(rng() % 3);
    for (int k = 0; k < edits && !line.empty(); ++k) {
      size_t at = rng() % line.size();
      switch (rng() % 5) {
        case 0:
          line[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          line.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 2:
          line.erase(at, 1 + rng() % 4);
          break;
        case 3:
          line.insert(at, line.substr(rng() % line.size(), 1 + rng() % 12));
          break;
        case 4: {
          // A digit changed: values stay numbers, often still valid.
          if (line[at] >= '0' && line[at] <= '9') line[at] = char('0' + rng() % 10);
          break;
        }
      }
    }
    auto type = kImpliedTypes[rng() % kImpliedTypes.size()];
    Event e;
    accepted += bool(probe.parse(line, type, &e));
    accepted_flat += same_result(p.flat, p.full, line, type);
    if (::testing::Test::HasFailure()) break;
  }
  // The edits must reach both outcomes, or the test proves little.
  EXPECT_GT(accepted_flat, 1'000u);
  EXPECT_GT(accepted, accepted_flat);
}
