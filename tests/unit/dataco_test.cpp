// DataCo order lines: parsing (CSV header mapping, header-keyed JSON, money rounding, dates,
// reason codes), the log round trip, and the marts: order-independent, exact after a shard
// split, checkpoint round trip.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstring>
#include <random>

#include "analytics/dataco_marts.h"
#include "analytics/dataco_receivables.h"
#include "core/bytes.h"
#include "core/checksum.h"
#include "core/event_time.h"
#include "engine/checkpoint.h"
#include "engine/engine.h"
#include "engine/shard_state.h"
#include "ingest/catalog.h"
#include "ingest/csv_row_json.h"
#include "ingest/dataco_csv.h"
#include "ingest/event_parser.h"
#include "ingest/logged_order_line.h"
#include "ingest/text_file.h"
#include "log/log_format.h"
#include "server/mart_json.h"
#include "support/dataco_submit.h"
#include "support/temp_dir.h"

using namespace ledgerflow;

namespace {

// The columns the engine reads plus one it ignores, in an order of our own.
std::vector<std::string> header() {
  std::vector<std::string> h = {"Customer Email"};
  for (size_t i = 0; i < kDatacoColumns; ++i) h.emplace_back(dataco_column_name(DatacoColumn(i)));
  std::reverse(h.begin(), h.end());
  return h;
}

std::vector<std::string> row(std::vector<std::pair<DatacoColumn, std::string>> changes = {}) {
  std::map<DatacoColumn, std::string> v = {
      {DatacoColumn::kType, "DEBIT "},
      {DatacoColumn::kDaysReal, "3"},
      {DatacoColumn::kDaysScheduled, "4"},
      {DatacoColumn::kBenefit, "91.25"},
      {DatacoColumn::kDeliveryStatus, "Advance shipping"},
      {DatacoColumn::kLateRisk, "0"},
      {DatacoColumn::kCategoryName, "Sporting Goods"},
      {DatacoColumn::kCustomerSegment, "Consumer"},
      {DatacoColumn::kDepartmentName, "Fitness"},
      {DatacoColumn::kMarket, "Pacific Asia"},
      {DatacoColumn::kOrderCity, "Bekasi"},
      {DatacoColumn::kOrderCountry, "Indonesia"},
      {DatacoColumn::kOrderCustomerId, "20755"},
      {DatacoColumn::kOrderDate, "1/31/2018 22:56"},
      {DatacoColumn::kOrderId, "77202"},
      {DatacoColumn::kDiscount, "13.10999966"},
      {DatacoColumn::kOrderItemId, "180517"},
      {DatacoColumn::kProductPrice, "327.75"},
      {DatacoColumn::kQuantity, "1"},
      {DatacoColumn::kSales, "327.75"},
      {DatacoColumn::kItemTotal, "314.6400146"},
      {DatacoColumn::kProfit, "-249.0899963"},
      {DatacoColumn::kOrderRegion, "Southeast Asia"},
      {DatacoColumn::kOrderState, "Java Occidental"},
      {DatacoColumn::kOrderStatus, "COMPLETE"},
      {DatacoColumn::kProductCardId, "1360"},
      {DatacoColumn::kProductName, "Smart watch "},
      {DatacoColumn::kShippingDate, "2/3/2018 22:56"},
      {DatacoColumn::kShippingMode, "Standard Class"},
  };
  for (auto& [c, s] : changes) v[c] = s;
  std::vector<std::string> out;
  for (const std::string& name : header()) {
    DatacoColumn c = DatacoColumn::kCount;
    for (size_t i = 0; i < kDatacoColumns; ++i) {
      if (dataco_column_name(DatacoColumn(i)) == name) c = DatacoColumn(i);
    }
    out.push_back(c == DatacoColumn::kCount ? "XXXXXXXXX" : v[c]);
  }
  return out;
}

Status parse(const std::vector<std::string>& fields, Event* e) {
  DatacoHeader h = OrderLineParser::map_header(header()).value();
  std::vector<std::string_view> views(fields.begin(), fields.end());
  return OrderLineParser().parse_row(OrderLineParser::row_of(h, views), e);
}

// Every field of the two order lines (their log encoding) and of the events around them.
void expect_same_order_line(const Event& got, const Event& want) {
  ASSERT_TRUE(got.order_line && want.order_line);
  std::string a, b;
  ByteWriter wa(&a), wb(&b);
  got.order_line->encode(wa);
  want.order_line->encode(wb);
  EXPECT_EQ(a, b);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.event_time_ms, want.event_time_ms);
  EXPECT_EQ(got.id_key, want.id_key);
}

}  // namespace

TEST(Dataco, MoneyBeyondSixDigitsIsRoundedHalfAwayFromZero) {
  EXPECT_EQ(Money::parse_rounded("314.6400146")->micros(), 314'640'015);
  EXPECT_EQ(Money::parse_rounded("-249.0899963")->micros(), -249'089'996);
  EXPECT_EQ(Money::parse_rounded("0.0000005")->micros(), 1);
  EXPECT_EQ(Money::parse_rounded("-0.00000049")->micros(), 0);
  EXPECT_EQ(Money::parse_rounded("2.75")->micros(), 2'750'000);
  EXPECT_FALSE(Money::parse("314.6400146"));  // the strict parser still refuses
  EXPECT_FALSE(Money::parse_rounded("1e3"));
}

TEST(Dataco, UsDatesParseAndRefuseNonsense) {
  EXPECT_EQ(*parse_us_datetime_ms("1/31/2018 22:56"), *parse_event_time_ms("2018-01-31 22:56:00"));
  EXPECT_EQ(*parse_us_datetime_ms("12/1/2015 0:05:09"),
            *parse_event_time_ms("2015-12-01 00:05:09"));
  for (const char* bad :
       {"2018-01-31 22:56", "2/30/2017 10:00", "1/31/2018", "1/31/2018 22:5", "13/1/2018 1:00",
        "1/31/2018 24:00", "1/31/18 1:00", " 1/31/2018 1:00", "1/31/2018 1:00x"}) {
    EXPECT_FALSE(parse_us_datetime_ms(bad)) << bad;
  }
  EXPECT_EQ(*parse_date_days("1970-01-02"), 1);
  EXPECT_FALSE(parse_date_days("2018-02-30"));
}

// The row parser reads the usual shapes of amounts, integers and dates itself and leaves the
// rest to Money::parse_rounded, std::from_chars and parse_us_datetime_ms: both must agree.
TEST(Dataco, FastValueReadersAgreeWithTheGeneralParsers) {
  for (const char* v : {"0",
                        "-0",
                        "+5",
                        "5.",
                        ".5",
                        "-.5",
                        "327.75",
                        "314.6400146",
                        "-249.0899963",
                        "0.0000005",
                        "-0.00000049",
                        "0.9999995",
                        "1.23456789012",
                        "999999999.9999999",
                        "1000000000",
                        "1000000000.0000001",
                        "123456789012.5",
                        "1234567890123",
                        "1e3",
                        "12,5",
                        "1.2.3",
                        "-",
                        "+",
                        "--1",
                        "1-",
                        "0x10",
                        "00012.50"}) {
    Event e;
    Status s = parse(row({{DatacoColumn::kSales, v}}), &e);
    Result<Money> m = Money::parse_rounded(v);
    const bool in_range = m && m->micros() <= 1'000'000'000 * Money::kScale &&
                          m->micros() >= -1'000'000'000 * Money::kScale;
    ASSERT_EQ(s.is_ok(), in_range) << v << ": " << s.to_string();
    if (in_range) {
      EXPECT_EQ(e.order_line->sales.micros(), m->micros()) << v;
    }
  }
  for (const char* v :
       {"1", "-1", "+1", "007", "123456789012345678", "1234567890123456789", "4611686018427387903",
        "4611686018427387904", "99999999999999999999", "1.0", "1 2", "-", "x"}) {
    Event e;
    Status s = parse(row({{DatacoColumn::kOrderId, v}}), &e);
    int64_t x = 0;
    std::string_view t(v);
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
    const bool ok = ec == std::errc() && end == t.data() + t.size() && x >= 1 && x <= INT64_MAX / 2;
    ASSERT_EQ(s.is_ok(), ok) << v << ": " << s.to_string();
    if (ok) {
      EXPECT_EQ(e.order_line->order_id, x) << v;
    }
  }
  for (const char* v :
       {"1/31/2018 22:56",  "12/1/2015 0:05:09", "02/03/2018 07:08", "2/29/2016 23:59:59",
        "2/29/2017 1:00",   "1/1/1970 0:00",     "12/31/2199 23:59", "1/1/1969 0:00",
        "1/1/2200 0:00",    "0/1/2018 1:00",     "1/0/2018 1:00",    "1/31/2018 24:00",
        "1/31/2018 1:60",   "1/31/2018 1:00:60", "1/31/2018 1:5",    "1/31/2018 1:00:5",
        "1/31/018 1:00",    "1/31/20180 1:00",   "1/31/2018  1:00",  "1/31/2018 1:00 ",
        "1/31/2018 001:00", "123/1/2018 1:00",   "1/31/2018"}) {
    Event e;
    Status s = parse(row({{DatacoColumn::kOrderDate, v}}), &e);
    Result<int64_t> ms = parse_us_datetime_ms(trim(v));
    ASSERT_EQ(s.is_ok(), ms.is_ok()) << v << ": " << s.to_string();
    if (ms) {
      EXPECT_EQ(e.event_time_ms, *ms) << v;
    }
  }
}

TEST(Dataco, RowParsesIntoATypedTrimmedEvent) {
  Event e;
  ASSERT_TRUE(parse(row(), &e));
  ASSERT_TRUE(e.order_line);
  const OrderLine& o = *e.order_line;
  EXPECT_EQ(e.type, EventType::kOrderLine);
  EXPECT_EQ(e.id, "180517");
  EXPECT_EQ(o.order_item_id, 180517);
  EXPECT_EQ(o.customer_id, 20755);
  EXPECT_EQ(o.payment_type(), "DEBIT");
  EXPECT_EQ(o.product_name(), "Smart watch");
  EXPECT_EQ(o.item_total.micros(), 314'640'015);
  EXPECT_EQ(o.profit.micros(), -249'089'996);
  EXPECT_EQ(o.days_real, 3);
  EXPECT_EQ(e.event_time_ms, *parse_event_time_ms("2018-01-31 22:56:00"));
  EXPECT_EQ(o.shipping_time_ms, *parse_event_time_ms("2018-02-03 22:56:00"));
  // The identity is the Order Item Id alone.
  Event other;
  ASSERT_TRUE(parse(row({{DatacoColumn::kSales, "1"}}), &other));
  EXPECT_EQ(e.id_key, other.id_key);
}

TEST(Dataco, BadValuesAreRefusedWithStableCodes) {
  struct Case {
    DatacoColumn column;
    const char* value;
    const char* code;
  };
  for (const Case& c : {Case{DatacoColumn::kOrderDate, "2018-01-31 22:56", "invalid_time"},
                        Case{DatacoColumn::kSales, "12,5", "invalid_value"},
                        Case{DatacoColumn::kOrderItemId, " ", "empty_field"},
                        Case{DatacoColumn::kLateRisk, "2", "out_of_range"},
                        Case{DatacoColumn::kDaysReal, "-1", "out_of_range"},
                        Case{DatacoColumn::kType, "", "empty_field"},
                        Case{DatacoColumn::kItemTotal, "99999999999", "out_of_range"},
                        Case{DatacoColumn::kOrderCustomerId, "x1", "invalid_value"}}) {
    Event e;
    Status s = parse(row({{c.column, c.value}}), &e);
    EXPECT_EQ(s.code(), c.code) << dataco_column_name(c.column) << " = " << c.value << ": "
                                << s.to_string();
  }
}

TEST(Dataco, MissingColumnsAreNamedAndExtraColumnsIgnored) {
  std::vector<std::string> h = header();
  h.erase(std::find(h.begin(), h.end(), "Order Item Id"));
  h.erase(std::find(h.begin(), h.end(), "Market"));
  Result<DatacoHeader> r = OrderLineParser::map_header(h);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), "missing_columns");
  EXPECT_NE(r.status().message().find("\"Order Item Id\""), std::string::npos);
  EXPECT_NE(r.status().message().find("\"Market\""), std::string::npos);
  h = header();
  h.push_back("Order Id");
  EXPECT_EQ(OrderLineParser::map_header(h).status().code(), "duplicate_column");
}

TEST(Dataco, HeaderKeyedJsonGivesTheSameEventAsTheCsvRow) {
  Event from_csv, from_json;
  ASSERT_TRUE(parse(row(), &from_csv));
  std::string json;
  std::vector<std::string> fields = row();
  CsvRowJson(header()).append(std::vector<std::string_view>(fields.begin(), fields.end()), &json);
  EventParser parser;
  ASSERT_TRUE(parser.parse(json, EventType::kOrderLine, &from_json));
  EXPECT_EQ(from_json.id_key, from_csv.id_key);
  EXPECT_EQ(from_json.order_line->item_total, from_csv.order_line->item_total);
  EXPECT_EQ(from_json.order_line->market(), "Pacific Asia");
  Event e;
  EXPECT_EQ(parser.parse(R"({"Type":1})", EventType::kOrderLine, &e).code(), "wrong_type");
  EXPECT_EQ(parser.parse(R"({"Type":"DEBIT"})", EventType::kOrderLine, &e).code(), "missing_field");
  EXPECT_EQ(parser.parse(R"([1])", EventType::kOrderLine, &e).code(), "not_object");
  EXPECT_EQ(parser.parse(R"({"type":"order_line","id":"1"})", std::nullopt, &e).code(),
            "unknown_type");
}

TEST(Dataco, CsvRecordsBecomeEventsOrDeadLettersWithTheirLine) {
  std::string csv;
  for (size_t i = 0; i < header().size(); ++i)
    csv += (i ? "," : "") + std::string("\"") + header()[i] + "\"";
  csv += "\n";
  auto add = [&](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) csv += (i ? ",\"" : "\"") + fields[i] + "\"";
    csv += "\n";
  };
  add(row());
  add(row({{DatacoColumn::kOrderItemId, "7"}, {DatacoColumn::kOrderCity, "Washington, D.C."}}));
  csv += "DEBIT,3\n";
  add(row({{DatacoColumn::kOrderDate, "yesterday"}}));
  DatacoCsvReader reader(csv);
  Status opened = reader.open();
  ASSERT_TRUE(opened) << opened.to_string();
  NdjsonBatch batch;
  DatacoCsvRecord rec;
  OrderLineParser parser;
  while (reader.next(&rec)) {
    add_dataco_record(&batch, rec, reader, SourcePosition{SourceKind::kFile, "f.csv", 0, 0}, parser,
                      4096);
  }
  ASSERT_EQ(batch.batch.records.size(), 4u);
  EXPECT_EQ(batch.accepted, 2u);
  EXPECT_EQ(batch.batch.records[1].event.order_line->order_city(), "Washington, D.C.");
  ASSERT_EQ(batch.rejected.size(), 2u);
  EXPECT_EQ(batch.rejected[0].line, 4u);
  EXPECT_EQ(batch.rejected[0].code, "wrong_field_count");
  EXPECT_EQ(batch.batch.records[2].source.position, 4);
  EXPECT_EQ(batch.batch.records[2].raw, "DEBIT,3");
  EXPECT_EQ(batch.rejected[1].code, "invalid_time");
  // The log keeps the raw record and its file's column map; read back, it parses again into the
  // same order line.
  EXPECT_EQ(batch.batch.order_line_hint, reader.parse_hint());
  LogRecord rec_in = batch.batch.records[1];
  rec_in.offset = 9;
  rec_in.ingest_time_ms = 1234;
  std::string bytes;
  logfmt::encode_record(rec_in, &bytes, batch.batch.order_line_hint);
  LogRecord rec_out;
  size_t consumed = 0;
  ASSERT_EQ(logfmt::decode_record(bytes, &rec_out, &consumed), logfmt::DecodeResult::kOk);
  EXPECT_EQ(rec_out.event.type, EventType::kOrderLine);
  EXPECT_FALSE(rec_out.event.order_line);
  EXPECT_EQ(rec_out.raw, rec_in.raw);
  Event parsed;
  Status s = parse_logged_order_line(rec_out, parser, &parsed);
  ASSERT_TRUE(s) << s.to_string();
  expect_same_order_line(parsed, rec_in.event);
  EXPECT_EQ(parsed.order_line->order_city(), "Washington, D.C.");
  EXPECT_EQ(parsed.offset, 9u);
  EXPECT_EQ(parsed.ingest_time_ms, 1234);
}

// A reader given the file's bytes as shared: an accepted row's record borrows its raw bytes from
// them and keeps them alive, a dead letter is copied; a reader of a plain view copies every row.
// Both kinds write the same log bytes.
TEST(Dataco, RecordsBorrowTheirRawBytesFromASharedFileAndKeepItAlive) {
  std::string text;
  for (size_t i = 0; i < header().size(); ++i) text += (i ? "," : "") + header()[i];
  text += "\n";
  std::vector<std::string> lines;  // each data line as written, without its line end
  for (const std::vector<std::string>& r : {row(), row({{DatacoColumn::kOrderDate, "yesterday"}}),
                                            row({{DatacoColumn::kOrderItemId, "8"}})}) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) line += (i ? "," : "") + r[i];
    lines.push_back(line);
    text += line + "\n";
  }
  auto data = std::make_shared<const std::string>(text);
  auto read_all = [](DatacoCsvReader& reader, NdjsonBatch* out) {
    ASSERT_TRUE(reader.open());
    OrderLineParser parser;
    DatacoCsvRecord rec;
    const SourcePosition at{SourceKind::kFile, "f.csv", 0, 0};
    while (reader.next_row(&rec)) add_dataco_record(out, rec, reader, at, parser, 16);
  };
  NdjsonBatch borrowed, copied;
  {
    DatacoCsvReader shared(data), viewing{std::string_view(*data)};
    read_all(shared, &borrowed);
    read_all(viewing, &copied);
  }
  const std::weak_ptr<const std::string> alive = data;
  data.reset();  // the borrowed records alone keep the file now
  ASSERT_FALSE(alive.expired());
  ASSERT_EQ(borrowed.batch.records.size(), 3u);
  const std::vector<bool> borrows = {true, false, true};  // line 2 is a dead letter
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const LogRecord& b = borrowed.batch.records[i];
    EXPECT_EQ(b.raw.borrowed(), borrows[i]);
    EXPECT_FALSE(copied.batch.records[i].raw.borrowed());
    EXPECT_EQ(b.raw, borrows[i] ? lines[i] : lines[i].substr(0, 16));
    EXPECT_EQ(b.raw_size, lines[i].size());
    EXPECT_EQ(copied.batch.records[i].raw, b.raw);
    std::string with_borrowed, with_copy;
    logfmt::encode_record(b, &with_borrowed, borrowed.batch.order_line_hint);
    logfmt::encode_record(copied.batch.records[i], &with_copy, copied.batch.order_line_hint);
    EXPECT_EQ(with_borrowed, with_copy);
  }
  borrowed.batch.records.clear();
  EXPECT_TRUE(alive.expired());
}

// Bytes of an order-line record as binaries before the raw-only layout wrote it (log_format.h:
// flags 0, the event's fields, then the OrderLine's), built here by hand from that layout.
std::string pre_raw_only_record(const LogRecord& r) {
  std::string out;
  ByteWriter w(&out);
  w.u32(0);
  w.u32(0);
  w.u64(r.offset);
  w.i64(r.ingest_time_ms);
  w.u8(uint8_t(RecordKind::kEvent));
  w.u8(uint8_t(r.source.kind));
  w.u16(0);
  w.i32(r.source.partition);
  w.i64(r.source.position);
  w.str(r.source.name);
  w.u32(r.raw_size);
  w.str(r.raw);
  const Event& e = r.event;
  w.u8(uint8_t(e.type));
  w.i32(e.store_id);
  for (int64_t v : {e.prod_id, e.units, e.reorder_point, e.unit_price.micros(), e.event_time_ms})
    w.i64(v);
  w.str(e.id);
  w.str(e.prod_name);
  e.order_line->encode(w);
  uint32_t body_len = uint32_t(out.size() - logfmt::kRecordHeaderBytes);
  std::memcpy(out.data() + 4, &body_len, 4);
  uint32_t crc = crc32(std::string_view(out).substr(4));
  std::memcpy(out.data(), &crc, 4);
  return out;
}

TEST(Dataco, AHeaderOfMoreThanTheLimitOfColumnsIsRefused) {
  auto csv_of = [](size_t extra) {
    std::string csv;
    for (const std::string& name : header()) csv += name + ",";
    for (size_t i = 0; i < extra; ++i) csv += "x" + std::to_string(i) + ",";
    csv.back() = '\n';
    return csv;
  };
  const size_t extra = kMaxDatacoColumns - header().size();
  std::string at_limit = csv_of(extra), over = csv_of(extra + 1);
  EXPECT_TRUE(DatacoCsvReader(at_limit).open());
  Status s = DatacoCsvReader(over).open();
  EXPECT_EQ(s.code(), "too_many_columns");
  EXPECT_NE(s.message().find("4097"), std::string::npos) << s.message();
}

TEST(Dataco, LoggedOrderLinesParseAgainFromEveryForm) {
  Event live;
  ASSERT_TRUE(parse(row({{DatacoColumn::kOrderCity, "Washington, D.C."}}), &live));
  LogRecord rec;
  rec.offset = 5;
  rec.source = SourcePosition{SourceKind::kKafka, "supply_chain_data", 2, 77};
  rec.event = live;
  rec.raw_size = uint32_t(rec.raw.size());
  OrderLineParser parser;
  size_t consumed = 0;
  {
    SCOPED_TRACE("a log written before the raw-only layout still reads, fields and all");
    rec.raw = "{}";
    LogRecord out;
    ASSERT_EQ(logfmt::decode_record(pre_raw_only_record(rec), &out, &consumed),
              logfmt::DecodeResult::kOk);
    ASSERT_TRUE(out.event.order_line);
    expect_same_order_line(out.event, live);
    EXPECT_TRUE(out.parse_hint.empty());
  }
  {
    SCOPED_TRACE("a header-keyed JSON object (Kafka, HTTP) is stored with the JSON hint");
    std::vector<std::string> h = header(),
                             v = row({{DatacoColumn::kOrderCity, "Washington, D.C."}});
    std::string json;
    CsvRowJson(h).append(std::vector<std::string_view>(v.begin(), v.end()), &json);
    rec.raw = json;
    std::string bytes;
    logfmt::encode_record(rec, &bytes);
    LogRecord out;
    ASSERT_EQ(logfmt::decode_record(bytes, &out, &consumed), logfmt::DecodeResult::kOk);
    EXPECT_EQ(out.parse_hint, std::string(1, kOrderLineJsonHint));
    Event parsed;
    ASSERT_TRUE(parse_logged_order_line(out, parser, &parsed));
    expect_same_order_line(parsed, live);
    EXPECT_EQ(parsed.offset, 5u);
  }
  {
    SCOPED_TRACE("a hint or raw bytes that do not parse are fatal, named by offset");
    LogRecord bad = rec;
    bad.raw = "1,2,3";
    Event parsed;
    for (std::string hint :
         {std::string(), std::string(1, '\x07'), std::string(1, kOrderLineCsvHint),
          std::string(1, kOrderLineJsonHint)}) {
      bad.parse_hint = hint;
      Status s = parse_logged_order_line(bad, parser, &parsed);
      EXPECT_EQ(s.code(), "log_unreadable");
      EXPECT_EQ(s.error_class(), ErrorClass::kFatal);
      EXPECT_NE(s.message().find("offset 5"), std::string::npos) << s.message();
    }
    DatacoHeader three;
    three.fields = 3;
    bad.parse_hint = csv_parse_hint(three);  // every column at index 0 of a 3-field file
    EXPECT_TRUE(parse_logged_order_line(bad, parser, &parsed).code() == "log_unreadable");
    bad.raw = "1,2";
    EXPECT_EQ(parse_logged_order_line(bad, parser, &parsed).code(), "log_unreadable");
  }
}

namespace {

std::vector<Event> workload() {
  std::mt19937_64 rng(6);
  const char* statuses[] = {"COMPLETE", "CLOSED", "SUSPECTED_FRAUD", "PENDING"};
  const char* markets[] = {"Africa", "Europe", "USCA"};
  std::vector<Event> out;
  for (int i = 0; i < 400; ++i) {
    int order = 1 + int(rng() % 120);
    int month = 1 + order % 12;
    Event e;
    Status s = parse(row({{DatacoColumn::kOrderItemId, std::to_string(1000 + i)},
                          {DatacoColumn::kOrderId, std::to_string(order)},
                          {DatacoColumn::kOrderCustomerId, std::to_string(order % 17 + 1)},
                          {DatacoColumn::kOrderDate, std::to_string(month) + "/5/2017 1:00"},
                          {DatacoColumn::kOrderStatus, statuses[order % 4]},
                          {DatacoColumn::kMarket, markets[rng() % 3]},
                          {DatacoColumn::kItemTotal, std::to_string(rng() % 100000) + ".1234567"},
                          {DatacoColumn::kDaysReal, std::to_string(rng() % 7)}}),
                     &e);
    EXPECT_TRUE(s) << s.to_string();
    out.push_back(e);
  }
  return out;
}

std::string marts_json(const DatacoSummary& s) {
  std::string all;
  for (std::string_view name : server::dataco_mart_names()) {
    all += server::dataco_mart_json(s, name, server::MartQuery{17'000, 1'000'000}).value();
  }
  return all;
}

}  // namespace

TEST(Dataco, MartsDoNotDependOnOrderShardsOrReplays) {
  std::vector<Event> events = workload();
  DatacoMarts sorted;
  for (const Event& e : events) sorted.apply(*e.order_line);
  DatacoSummary one;
  sorted.summarize(&one);
  // Shuffled, split across 3 "shards" by customer, with every line replayed through the
  // shard's idempotency check: the merged summary is identical.
  std::shuffle(events.begin(), events.end(), std::mt19937_64(42));
  std::vector<ShardState> shards;
  for (int i = 0; i < 3; ++i) shards.emplace_back(&Catalog::builtin(), ShardOptions{});
  for (int pass = 0; pass < 2; ++pass) {
    for (const Event& e : events)
      shards[size_t(e.order_line->customer_id % 3)].apply(RoutedEvent{&e, 0});
  }
  DatacoSummary merged;
  for (const ShardState& s : shards) s.dataco().summarize(&merged);
  EXPECT_EQ(marts_json(merged), marts_json(one));
  EXPECT_EQ(shards[0].counters().duplicates + shards[1].counters().duplicates +
                shards[2].counters().duplicates,
            events.size());
  // Checkpoint round trip of a shard gives the same figures.
  std::string blob;
  ByteWriter w(&blob);
  shards[1].serialize(w);
  ShardState restored(&Catalog::builtin(), ShardOptions{});
  ByteReader r(blob);
  ASSERT_TRUE(restored.deserialize(r, kCheckpointVersion));
  EXPECT_EQ(r.remaining(), 0u);
  DatacoSummary a, b;
  shards[1].dataco().summarize(&a);
  restored.dataco().summarize(&b);
  EXPECT_EQ(marts_json(a), marts_json(b));
}

TEST(Dataco, AverageMoneyRoundsHalfAwayFromZero) {
  EXPECT_EQ(server::average_money(Money::from_micros(5), 2).micros(), 3);
  EXPECT_EQ(server::average_money(Money::from_micros(-5), 2).micros(), -3);
  EXPECT_EQ(server::average_money(Money::from_micros(4), 3).micros(), 1);
  EXPECT_EQ(server::average_money(Money::from_micros(7), 0).micros(), 0);
}

namespace {

// A PENDING_PAYMENT line (unless `status` says otherwise) of `customer` ordered on `date`.
Event receivable_line(int item, int customer, const std::string& date, const std::string& total,
                      const std::string& type = "DEBIT",
                      const std::string& status = "PENDING_PAYMENT") {
  Event e;
  Status s = parse(row({{DatacoColumn::kOrderItemId, std::to_string(item)},
                        {DatacoColumn::kOrderId, std::to_string(100 + item)},
                        {DatacoColumn::kOrderCustomerId, std::to_string(customer)},
                        {DatacoColumn::kOrderDate, date + " 10:00"},
                        {DatacoColumn::kType, type},
                        {DatacoColumn::kOrderStatus, status},
                        {DatacoColumn::kItemTotal, total}}),
                   &e);
  EXPECT_TRUE(s) << s.to_string();
  return e;
}

// Customer id -> "amount per bucket / count per bucket" in micro-units, for exact comparison.
std::map<std::string, std::string> aging_lines(const DatacoReceivablesAging& a) {
  std::map<std::string, std::string> out;
  auto text = [](const finance::AgingBuckets& b) {
    std::string t;
    for (size_t i = 0; i < b.amount.size(); ++i) {
      t += std::to_string(b.amount[i].micros()) + "/" + std::to_string(b.count[i]) + " ";
    }
    return t + "total " + std::to_string(b.total.micros());
  };
  for (const auto& [id, b] : a.report.by_counterparty) out[id] = text(b);
  out["*"] = text(a.report.total);
  return out;
}

}  // namespace

// By hand, net 30 as of 2017-06-30 (buckets current | 1-30 | 31-60 | 61-90 | 90+ days past due):
//   customer 1: 2017-01-10 two lines (due 02-09, 141 days past due: 90+) 100.1234567 (rounded
//     to 100.123457) + 50.50 CASH; 2017-04-15 (due 05-15, 46 days: 31-60) 20.00;
//   customer 2: 2017-05-25 (due 06-24, 6 days: 1-30) 7.25 TRANSFER; 2017-06-20 (due 07-20:
//     current) 3.10 PAYMENT; a COMPLETE line is no receivable;
//   customer 3: 2017-03-20 (due 04-19, 72 days: 61-90) 1.01; 2017-07-10 is after the as-of day.
TEST(Dataco, PendingPaymentLinesAreReceivablesAgedByHand) {
  std::vector<Event> events = {
      receivable_line(1, 1, "1/10/2017", "100.1234567"),
      receivable_line(2, 1, "1/10/2017", "50.50", "CASH"),
      receivable_line(3, 1, "4/15/2017", "20.00"),
      receivable_line(4, 2, "5/20/2017", "500.00", "DEBIT", "COMPLETE"),
      receivable_line(5, 2, "5/25/2017", "7.25", "TRANSFER"),
      receivable_line(6, 2, "6/20/2017", "3.10", "PAYMENT"),
      receivable_line(7, 3, "3/20/2017", "1.01"),
      receivable_line(8, 3, "7/10/2017", "99.00"),
      // Line 1 seen again, now COMPLETE with another total: its identity is the Order Item Id,
      // so it is a replay and the first sighting stands.
      receivable_line(1, 1, "1/10/2017", "1.00", "DEBIT", "COMPLETE"),
  };
  ShardState shard(&Catalog::builtin(), ShardOptions{});
  for (const Event& e : events) shard.apply(RoutedEvent{&e, 0});
  EXPECT_EQ(shard.counters().duplicates, 1u);
  DatacoReceivables r;
  shard.dataco().add_receivables_to(&r);
  const int64_t june30 = 17347;  // 2017-06-30
  Result<DatacoReceivablesAging> a = age_dataco_receivables(r, june30, 30);
  ASSERT_TRUE(a) << a.status().to_string();
  EXPECT_EQ(a->as_of_day, june30);
  std::map<std::string, std::string> want = {
      {"1", "0/0 0/0 20000000/1 0/0 150623457/2 total 170623457"},
      {"2", "3100000/1 7250000/1 0/0 0/0 0/0 total 10350000"},
      {"3", "0/0 0/0 0/0 1010000/1 0/0 total 1010000"},
      {"*", "3100000/1 7250000/1 20000000/1 1010000/1 150623457/2 total 181983457"},
  };
  EXPECT_EQ(aging_lines(*a), want);
  // Without an as-of day: the newest order date (2017-07-10), where customer 3's July line is
  // current and everything else is 10 days older.
  Result<DatacoReceivablesAging> latest = age_dataco_receivables(r, INT64_MIN, 30);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->as_of_day, june30 + 10);
  EXPECT_EQ(aging_lines(*latest)["3"], "99000000/1 0/0 0/0 1010000/1 0/0 total 100010000");
  // A checkpoint round trip keeps them.
  std::string blob;
  ByteWriter w(&blob);
  shard.serialize(w);
  ShardState restored(&Catalog::builtin(), ShardOptions{});
  ByteReader rd(blob);
  ASSERT_TRUE(restored.deserialize(rd, kCheckpointVersion));
  EXPECT_EQ(rd.remaining(), 0u);
  DatacoReceivables back;
  restored.dataco().add_receivables_to(&back);
  EXPECT_EQ(aging_lines(age_dataco_receivables(back, june30, 30).value()), want);
}

// The engine's DataCo snapshot is shared until order lines are applied, then merged again: its
// summary and patterns equal a merge done here, and readers holding the old one keep it.
TEST(Dataco, EngineSnapshotIsSharedUntilLinesAreApplied) {
  ledgerflow::testing::TempDir tmp;
  EngineConfig cfg;
  cfg.data_dir = tmp.sub("data");
  Engine e(cfg);
  ASSERT_TRUE(e.start());
  auto empty = e.dataco_snapshot();
  EXPECT_EQ(empty->lines, 0);
  EXPECT_EQ(e.dataco_snapshot(), empty);  // nothing applied: the same object
  const uint64_t end = ledgerflow::testing::submit_dataco_file(e, "fixture.csv", 100);
  ASSERT_TRUE(e.wait_applied(end, 10'000));
  auto full = e.dataco_snapshot();
  EXPECT_NE(full, empty);
  EXPECT_EQ(full->lines, e.dataco_line_count());
  EXPECT_GT(full->lines, 300);
  EXPECT_EQ(e.dataco_snapshot(), full);
  EXPECT_EQ(marts_json(full->summary), marts_json(e.dataco_summary()));
  const std::vector<LedgerAlert> patterns =
      dataco_fraud_alerts(e.dataco_summary(), e.config().dataco_fraud);
  ASSERT_EQ(full->patterns.size(), patterns.size());
  EXPECT_FALSE(patterns.empty());  // the fixture has customers with 2+ suspected-fraud orders
  for (size_t i = 0; i < patterns.size(); ++i) {
    EXPECT_EQ(full->patterns[i].subject, patterns[i].subject);
    EXPECT_EQ(full->patterns[i].alert.message, patterns[i].alert.message);
  }
  EXPECT_EQ(empty->lines, 0);  // the old snapshot is unchanged for whoever still holds it
  e.stop();
}

// StringIds keys a short name by its bytes (an inline probe) and a long one by a hash:
// interleaved lookups must still give each name one id, in first-seen order, past the table's
// growth.
TEST(Dataco, StringIdsAreFirstSeenWhateverTheLookupOrder) {
  StringIds ids;
  std::vector<std::string> names;
  for (int i = 0; i < 100; ++i) names.push_back("name " + std::to_string(i));
  names.push_back("");
  // Names of every length up to 40 that differ in one byte only (first, middle or last): the
  // byte comparison loads 8 or 4 bytes at a time with an overlapping last load.
  for (size_t len = 1; len <= 40; ++len) {
    for (size_t at : {size_t(0), len / 2, len - 1}) {
      std::string n(len, 'm');
      n[at] = 'M';
      names.push_back(n);
    }
    names.push_back(std::string(len, 'm'));
  }
  std::mt19937 rng(3);
  std::map<std::string, uint32_t> seen;
  for (int k = 0; k < 20000; ++k) {
    const std::string& n = names[rng() % (k < 2000 ? 10 : names.size())];
    const uint32_t want = seen.emplace(n, uint32_t(seen.size())).first->second;
    ASSERT_EQ(ids.id(n), want) << n;
    ASSERT_EQ(ids.id(n), want) << n;  // asked again
    ASSERT_EQ(ids.name(want), n);
  }
  EXPECT_EQ(ids.size(), seen.size());
}

// The marts keep the entry of the last order and customer: a copy or a move of the marts, or a
// checkpoint reload, must not use the other object's entries. Lines of one order come in runs
// (the memo's case) and out of them.
TEST(Dataco, MartsCopiedMovedOrReloadedMidStreamAgree) {
  std::vector<Event> events = workload();
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.order_line->order_id < b.order_line->order_id;
  });
  const size_t half = events.size() / 2;
  DatacoMarts straight, first;
  for (size_t i = 0; i < half; ++i) first.apply(*events[i].order_line);
  DatacoMarts copied = first;
  DatacoMarts moved_from = first;
  DatacoMarts moved = std::move(moved_from);
  std::string blob;
  ByteWriter w(&blob);
  first.serialize(w);
  first.serialize_receivables(w);
  DatacoMarts reloaded;
  ByteReader r(blob);
  ASSERT_TRUE(reloaded.deserialize(r));
  ASSERT_TRUE(reloaded.deserialize_receivables(r));
  for (const Event& e : events) straight.apply(*e.order_line);
  for (size_t i = half; i < events.size(); ++i) {
    for (DatacoMarts* m : {&first, &copied, &moved, &reloaded}) m->apply(*events[i].order_line);
  }
  DatacoSummary want;
  straight.summarize(&want);
  for (DatacoMarts* m : {&first, &copied, &moved, &reloaded}) {
    DatacoSummary got;
    m->summarize(&got);
    EXPECT_EQ(marts_json(got), marts_json(want));
    EXPECT_EQ(m->line_count(), straight.line_count());
  }
}

// The receivables section of a checkpoint, read back by its documented layout (customers
// ascending, then days ascending), against sums made here from the lines: the marts keep the
// receivables in a hash table, so this pins the order the bytes are written in.
TEST(Dataco, ReceivablesCheckpointBytesAreSortedByCustomerThenDay) {
  std::mt19937 rng(71);
  std::map<int64_t, std::map<int64_t, std::pair<int64_t, int64_t>>> want;  // micros, lines
  DatacoMarts marts;
  for (int i = 0; i < 3000; ++i) {
    const int customer = 1 + int(rng() % 40) * 37;  // not in arrival order
    const int month = 1 + int(rng() % 12), day = 1 + int(rng() % 28);
    const bool pending = rng() % 3 != 0;
    const std::string total = std::to_string(rng() % 100000) + ".25";
    Event e = receivable_line(i + 1, customer,
                              std::to_string(month) + "/" + std::to_string(day) + "/2017", total,
                              "DEBIT", pending ? "PENDING_PAYMENT" : "COMPLETE");
    marts.apply(*e.order_line);
    if (!pending) continue;
    const auto ymd = std::chrono::year(2017) / month / day;
    auto& [micros, lines] = want[customer][std::chrono::sys_days(ymd).time_since_epoch().count()];
    micros += e.order_line->item_total.micros();
    lines += 1;
  }
  std::string blob;
  ByteWriter w(&blob);
  marts.serialize_receivables(w);
  ByteReader r(blob);
  uint64_t customers = 0;
  ASSERT_TRUE(r.u64(&customers));
  ASSERT_EQ(customers, want.size());
  for (const auto& [customer, days] : want) {
    int64_t id = 0;
    uint64_t count = 0;
    ASSERT_TRUE(r.i64(&id) && r.u64(&count));
    ASSERT_EQ(id, customer);
    ASSERT_EQ(count, days.size());
    for (const auto& [day, sums] : days) {
      int64_t got_day = 0, micros = 0, lines = 0;
      ASSERT_TRUE(r.i64(&got_day) && r.i64(&micros) && r.i64(&lines));
      EXPECT_EQ(got_day, day);
      EXPECT_EQ(micros, sums.first);
      EXPECT_EQ(lines, sums.second);
    }
  }
  EXPECT_EQ(r.remaining(), 0u);
  DatacoMarts reloaded;
  ByteReader again(blob);
  ASSERT_TRUE(reloaded.deserialize_receivables(again));
  std::string blob2;
  ByteWriter w2(&blob2);
  reloaded.serialize_receivables(w2);
  EXPECT_EQ(blob2, blob);
}

// The amount and integer readers' fast paths (six fraction digits in a loop of known length,
// values without blanks at either end not trimmed) against the general parsers, on amounts of
// every shape with and without blanks around them.
TEST(Dataco, FastMoneyAndUntrimmedValuesAgreeWithTheGeneralParsers) {
  std::mt19937 rng(500);
  std::vector<std::string> values = {
      "1.5",        "1.05",     "12.123456",   "12.1234565", "12.12345649", "12.1234564999",
      "-0.0000005", "0.000000", "1.00000051x", "1.123x",     "1.9999995",   "999999999.9999995",
      " 12.5 ",     "\t-3.25",  "12. 5",       "12.5\t",     " ",           "-999999999.9999996"};
  for (int i = 0; i < 20000; ++i) {
    std::string v;
    const size_t len = 1 + rng() % 22;
    for (size_t k = 0; k < len; ++k) v += "0123456789012345678.-+ x"[rng() % 24];
    values.push_back(v);
  }
  for (const std::string& v : values) {
    Event e;
    Status s = parse(row({{DatacoColumn::kSales, v}}), &e);
    Result<Money> m = Money::parse_rounded(trim(v));
    const bool in_range = !trim(v).empty() && m && m->micros() <= 1'000'000'000 * Money::kScale &&
                          m->micros() >= -1'000'000'000 * Money::kScale;
    ASSERT_EQ(s.is_ok(), in_range) << v << ": " << s.to_string();
    if (in_range) {
      ASSERT_EQ(e.order_line->sales.micros(), m->micros()) << v;
    }
  }
}

// The fast readers take integers untrimmed and the event's id from the Order Item Id's own text:
// blanks around a value, leading zeros and signs must still give the trimmed value and the id
// std::to_string writes (the identity of "0042" is that of "42"), with or without a pool.
TEST(Dataco, UntrimmedIntegersAndItemIdsGiveTheValuesOfTheirTrimmedText) {
  using C = DatacoColumn;
  for (C c : {C::kOrderItemId, C::kOrderId, C::kOrderCustomerId, C::kDaysReal, C::kDaysScheduled,
              C::kLateRisk, C::kQuantity, C::kProductCardId}) {
    for (const char* v : {"1", " 1", "1 ", "\t1\t", "01", "+1", "-1", " ", "", "1 1"}) {
      Event e;
      Status s = parse(row({{c, v}}), &e);
      const std::string_view t = trim(v);
      int64_t x = 0;
      auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
      const bool ok = !t.empty() && ec == std::errc() && end == t.data() + t.size();
      const bool at_least = x >= (c == C::kDaysReal || c == C::kDaysScheduled ||
                                          c == C::kLateRisk || c == C::kProductCardId
                                      ? 0
                                      : 1);
      ASSERT_EQ(s.is_ok(), ok && at_least)
          << dataco_column_name(c) << " \"" << v << "\": " << s.to_string();
    }
  }
  Event want;
  ASSERT_TRUE(parse(row({{C::kOrderItemId, "42"}}), &want));
  EXPECT_EQ(want.id, "42");
  for (const char* v : {"0042", " 42", "42\t", " 042 "}) {
    Event e;
    ASSERT_TRUE(parse(row({{C::kOrderItemId, v}}), &e)) << v;
    EXPECT_EQ(e.id, "42") << v;
    EXPECT_EQ(e.id_key, want.id_key) << v;
    EXPECT_EQ(e.order_line->order_item_id, 42) << v;
  }
}

// The fast readers of a row and the checked ones must agree: with two bad values, the reason is
// the one the first of them in the readers' order gives alone (code and message), whichever
// two they are; every value at its limit (a text of 1024 bytes, an empty optional text) passes.
TEST(Dataco, TheFirstBadValueInReadOrderNamesTheRow) {
  using C = DatacoColumn;
  // The readers' order (parse_row), with a value each refuses.
  const std::vector<std::pair<C, std::string>> order = {
      {C::kOrderItemId, "x"},
      {C::kOrderId, "0"},
      {C::kOrderCustomerId, ""},
      {C::kOrderDate, "1/31/2018"},
      {C::kShippingDate, "2/30/2018 1:00"},
      {C::kDaysReal, "10001"},
      {C::kDaysScheduled, "-1"},
      {C::kLateRisk, "2"},
      {C::kQuantity, "0"},
      {C::kProductCardId, "1.5"},
      {C::kSales, "1e3"},
      {C::kItemTotal, "1000000000.0000006"},
      {C::kProfit, ""},
      {C::kBenefit, "12,5"},
      {C::kProductPrice, "-"},
      {C::kDiscount, "--1"},
      {C::kType, ""},
      {C::kDeliveryStatus, " "},
      {C::kOrderStatus, "\t"},
      {C::kShippingMode, std::string(1025, 'm')},
      {C::kCustomerSegment, ""},
      {C::kMarket, ""},
      {C::kDepartmentName, ""},
      {C::kCategoryName, ""},
      {C::kOrderRegion, std::string(1025, 'r')},
      {C::kOrderCountry, std::string(1025, 'c')},
      {C::kOrderState, std::string(1025, 's')},
      {C::kOrderCity, std::string(1025, 'y')},
      {C::kProductName, std::string(1026, 'p')},
  };
  ASSERT_EQ(order.size(), kDatacoColumns);
  std::vector<Status> alone;
  for (const auto& bad : order) {
    Event e;
    alone.push_back(parse(row({bad}), &e));
    ASSERT_FALSE(alone.back()) << dataco_column_name(bad.first);
    EXPECT_NE(alone.back().message().find(dataco_column_name(bad.first)), std::string::npos)
        << alone.back().to_string();
  }
  for (size_t a = 0; a < order.size(); ++a) {
    for (size_t b = a + 1; b < order.size(); ++b) {
      Event e;
      Status s = parse(row({order[a], order[b]}), &e);
      ASSERT_EQ(s.code(), alone[a].code()) << a << " " << b;
      ASSERT_EQ(s.message(), alone[a].message()) << a << " " << b;
    }
  }
  // At the limits: 1024-byte texts, empty optional texts, the smallest and largest counts.
  Event e;
  Status s = parse(row({{C::kProductName, std::string(1024, 'p')},
                        {C::kShippingMode, std::string(1024, 'm')},
                        {C::kOrderCity, ""},
                        {C::kOrderRegion, " "},
                        {C::kOrderCountry, ""},
                        {C::kOrderState, ""},
                        {C::kDaysReal, "10000"},
                        {C::kQuantity, "1000000"},
                        {C::kLateRisk, "1"},
                        {C::kProductCardId, "0"},
                        {C::kItemTotal, "-1000000000"}}),
                   &e);
  ASSERT_TRUE(s) << s.to_string();
  const OrderLine& o = *e.order_line;
  EXPECT_EQ(o.product_name(), std::string(1024, 'p'));
  EXPECT_EQ(o.shipping_mode(), std::string(1024, 'm'));
  EXPECT_EQ(o.order_city(), "");
  EXPECT_EQ(o.order_region(), "");
  EXPECT_EQ(o.days_real, 10000);
  EXPECT_EQ(o.quantity, 1000000);
  EXPECT_TRUE(o.late_delivery_risk);
  EXPECT_EQ(o.item_total.micros(), -1'000'000'000 * Money::kScale);
  EXPECT_EQ(o.payment_type(), "DEBIT");
}

// next_row gives what next gives, without the fields the parser does not read: the same lines,
// raw bytes, errors (wrong field counts, unterminated quotes), rows and positions, on records the
// one-pass split takes (simple quoted fields) and on those it leaves to the general path
// (doubled quotes, line breaks inside quotes), on every fixture file.
TEST(Dataco, NextRowGivesTheRecordsOfNext) {
  std::string made;
  for (size_t i = 0; i < header().size(); ++i) made += (i ? "," : "") + header()[i];
  made += "\r\n";
  auto add = [&](const std::vector<std::string>& fields, bool quote_all) {
    for (size_t i = 0; i < fields.size(); ++i) {
      made += i ? "," : "";
      made += quote_all ? "\"" + fields[i] + "\"" : fields[i];
    }
    made += "\n";
  };
  add(row(), false);
  add(row(), true);
  add(row({{DatacoColumn::kOrderCity, "Washington, D.C."}}), true);
  add(row({{DatacoColumn::kProductName, "The \"\"best\"\" ball"}}), true);  // doubled quotes
  add(row({{DatacoColumn::kOrderState, "two\nlines"}}), true);              // a line break
  made += "DEBIT,3\n\n\n";                                                  // too few fields
  add(row({{DatacoColumn::kOrderId, "x"}}), false);
  std::vector<std::string> more = row();
  more.push_back("extra");
  add(more, false);  // too many fields
  add(row(), false);
  made += "\"unterminated,";
  std::vector<std::string> files = {made};
  for (const char* name : {"fixture.csv", "fixture_bom.csv", "fixture_latin1.csv"}) {
    Result<TextFile> f = read_text_file_utf8(ledgerflow::testing::dataco_fixture(name));
    ASSERT_TRUE(f) << f.status().to_string();
    files.push_back(f->data);
  }
  for (const std::string& csv : files) {
    DatacoCsvReader all(csv), picked(csv);
    ASSERT_TRUE(all.open());
    ASSERT_TRUE(picked.open());
    DatacoCsvRecord a, p;
    size_t records = 0, errors = 0;
    for (;;) {
      const bool got = all.next(&a);
      ASSERT_EQ(picked.next_row(&p), got);
      if (!got) break;
      ++records;
      EXPECT_TRUE(p.fields.empty());
      ASSERT_EQ(p.line, a.line);
      ASSERT_EQ(p.raw, a.raw);
      ASSERT_EQ(p.error.code(), a.error.code()) << a.line;
      ASSERT_EQ(p.error.message(), a.error.message()) << a.line;
      ASSERT_EQ(picked.position(), all.position());
      if (!a.error) {
        ++errors;
        continue;
      }
      for (size_t c = 0; c < kDatacoColumns; ++c) {
        ASSERT_EQ(p.row[c], a.row[c]) << a.line << " " << dataco_column_name(DatacoColumn(c));
        ASSERT_EQ(a.row[c], a.fields[all.columns().index[c]]);
      }
    }
    EXPECT_GT(records, 5u);
    if (&csv == &files.front()) {
      EXPECT_EQ(records, 10u);
      EXPECT_EQ(errors, 3u);
    }
  }
}

// The row parse remembers the last text of each date column: a repeated text gives the same
// value, and a different text (of the same length, or a bad one, or an empty one) right after a
// remembered one is read, or refused, on its own.
TEST(Dataco, RepeatedDatesGiveTheValuesOfTheirText) {
  using C = DatacoColumn;
  const std::vector<std::pair<std::string, std::string>> dates = {
      {"1/31/2018 22:56", "2/3/2018 22:56"},
      {"1/31/2018 22:56", "2/3/2018 22:56"},
      {"1/31/2018 22:57", "2/3/2018 22:56"},
      {"1/31/2018 22:57", "2/4/2018 22:56"},
      {"2/30/2018 22:57", "2/4/2018 22:56"},
      {"1/31/2018 22:57", "2/30/2018 2:56"},
      {"", "2/4/2018 22:56"},
      {"1/31/2018 22:57", ""},
      {" 1/31/2018 22:57", "2/4/2018 22:56"},
      {"12/31/2199 23:59:59", "1/1/1970 0:00"},
      {"12/31/2199 23:59:59", "1/1/1970 0:00"}};
  for (const auto& [order, shipping] : dates) {
    Event e;
    Status s = parse(row({{C::kOrderDate, order}, {C::kShippingDate, shipping}}), &e);
    Result<int64_t> o = parse_us_datetime_ms(trim(order));
    Result<int64_t> sh = parse_us_datetime_ms(trim(shipping));
    ASSERT_EQ(s.is_ok(), o.is_ok() && sh.is_ok()) << order << " / " << shipping;
    if (!s) {
      EXPECT_EQ(s.code(), "invalid_time") << order << " / " << shipping;
      continue;
    }
    EXPECT_EQ(e.order_line->order_time_ms, *o) << order;
    EXPECT_EQ(e.order_line->shipping_time_ms, *sh) << shipping;
  }
}
