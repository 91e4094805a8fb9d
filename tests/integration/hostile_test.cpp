// Hostile input against the real binary. Every bad request gets a clear answer: a JSON error
// (400, 404, 413, 415) or, for bad lines inside an NDJSON body, a per-line rejection with its
// reason code in the 202 summary. Good lines in the same body are kept (checked through the
// inventory of a store used by that test alone), every refused line is in /api/v1/dead-letters
// with its reason, its line number and its raw bytes (bounded, with the real size), and after
// each test the engine still answers /healthz and takes a good POST.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine_process.h"
#include "support/base64.h"

using json = nlohmann::json;
using ledgerflow::testing::EngineProcess;
using ledgerflow::testing::TempDir;

namespace {

constexpr size_t kRawKept = 4096;          // dead_letters.raw_bytes default
constexpr size_t kDeadLettersKept = 1000;  // dead_letters.kept default (all are in the log)

using ledgerflow::testing::base64;

bool printable_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

httplib::Client client(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(5, 0);
  c.set_read_timeout(60, 0);
  c.set_write_timeout(60, 0);
  return c;
}

// Sends raw bytes as a request (with no client library in between) and returns the status and
// the body of the answer.
struct RawAnswer {
  int status = 0;
  std::string content_type, body;
};
RawAnswer raw_http(int port, const std::string& request) {
  RawAnswer out;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  if (fd < 0) return out;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ADD_FAILURE() << "connect failed";
    ::close(fd);
    return out;
  }
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += size_t(n);
  }
  std::string in;
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, size_t(n));
    size_t head = in.find("\r\n\r\n");
    if (head != std::string::npos) {
      size_t cl = in.find("Content-Length: ");
      if (cl != std::string::npos && cl < head &&
          in.size() >= head + 4 + std::stoul(in.substr(cl + 16, in.find("\r\n", cl) - cl - 16))) {
        break;
      }
    }
  }
  ::close(fd);
  if (in.rfind("HTTP/1.1 ", 0) != 0) {
    ADD_FAILURE() << "no HTTP answer: \"" << in.substr(0, 200) << "\"";
    return out;
  }
  out.status = std::stoi(in.substr(9, 3));
  size_t head = in.find("\r\n\r\n");
  size_t ct = in.find("Content-Type: ");
  if (ct != std::string::npos && ct < head)
    out.content_type = in.substr(ct + 14, in.find("\r\n", ct) - ct - 14);
  out.body = head == std::string::npos ? "" : in.substr(head + 4);
  return out;
}

void expect_raw_json_error(const RawAnswer& a, int status, const std::string& code,
                           const std::string& what) {
  EXPECT_EQ(a.status, status) << what << ": " << a.body;
  EXPECT_EQ(a.content_type.rfind("application/json", 0), 0u)
      << what << ": \"" << a.content_type << "\"";
  json j = json::parse(a.body, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << what << ": not JSON: \"" << a.body << "\"";
  EXPECT_EQ(j["error"]["code"], code) << what << ": " << a.body;
}

json get_json(int port, const std::string& path) {
  auto res = client(port).Get(path.c_str());
  EXPECT_TRUE(res) << path;
  if (!res) return json();
  EXPECT_EQ(res->status, 200) << path << ": " << res->body;
  return json::parse(res->body);  // throws (fails the test) on invalid UTF-8 or bad JSON
}

bool wait_applied(int port, uint64_t offset) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = client(port).Get("/api/v1/pipeline");
    if (res && res->status == 200 &&
        json::parse(res->body)["applied_offset"].get<uint64_t>() >= offset)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

// A JSON error answer: the status, application/json, {"error":{"code","message"}}.
void expect_json_error(const httplib::Result& res, int status, const std::string& code,
                       const std::string& what) {
  ASSERT_TRUE(res) << what << ": no answer (" << httplib::to_string(res.error()) << ")";
  EXPECT_EQ(res->status, status) << what << ": " << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("application/json", 0), 0u)
      << what << ": Content-Type " << res->get_header_value("Content-Type") << ", body \""
      << res->body << "\"";
  json j = json::parse(res->body, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << what << ": not JSON: \"" << res->body << "\"";
  ASSERT_TRUE(j.contains("error")) << what << ": " << res->body;
  EXPECT_EQ(j["error"]["code"], code) << what << ": " << res->body;
  EXPECT_FALSE(j["error"]["message"].get<std::string>().empty()) << what;
}

std::string shipment(const std::string& id, int store, int64_t units, int64_t prod = 5) {
  return R"({"id":")" + id + R"(","prod_id":)" + std::to_string(prod) + R"(,"unit_received":)" +
         std::to_string(units) + R"(,"dt":"2024-05-01 12:00:00","store_id":)" +
         std::to_string(store) + "}";
}

std::string sale(const std::string& id, int store, int64_t units,
                 const std::string& price = "2.75") {
  return R"({"id":")" + id + R"(","prod_id":5,"prod_name":"White Bread Loaf","unit_sold":)" +
         std::to_string(units) + R"(,"reorder_point":100,"regular_unit_price":)" + price +
         R"(,"dt":"2024-05-01 12:00:01","store_id":)" + std::to_string(store) + "}";
}

// A shipment line with one field's value text replaced (the field must be present).
std::string shipment_with(const std::string& field, const std::string& value, int store = 1) {
  std::string line = shipment("w-" + field, store, 1);
  std::string key = "\"" + field + "\":";
  size_t v = line.find(key) + key.size();
  size_t e = line.find_first_of(",}", line[v] == '"' ? line.find('"', v + 1) : v);
  return line.substr(0, v) + value + line.substr(e);
}

std::string sale_with(const std::string& field, const std::string& value, int store = 1) {
  std::string line = sale("w-" + field, store, 1);
  std::string key = "\"" + field + "\":";
  size_t v = line.find(key) + key.size();
  size_t e = line.find_first_of(",}", line[v] == '"' ? line.find('"', v + 1) : v);
  return line.substr(0, v) + value + line.substr(e);
}

struct Rejection {
  size_t line;
  std::set<std::string> codes;  // acceptable reason codes (usually one)
};

struct Counters {
  uint64_t accepted = 0, dead_letters = 0, log_end = 0;
};

Counters counters(int port) {
  json p = get_json(port, "/api/v1/pipeline");
  return Counters{p["events_accepted"].get<uint64_t>(), p["dead_letters"].get<uint64_t>(),
                  p["log_end_offset"].get<uint64_t>()};
}

bool blank_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

// Posts `lines` joined by `sep` (each followed by it) and checks: a 202 whose summary has
// `accepted` and exactly `rejected` (line numbers and codes); the pipeline counters moved by as
// much; each refused line in the dead-letter store with its reason, position, raw bytes (at
// most kRawKept of them, exact) and real size.
void post_lines(int port, const std::string& path, const std::vector<std::string>& lines,
                size_t accepted, const std::vector<Rejection>& rejected,
                const std::string& sep = "\n") {
  std::string body;
  for (const std::string& l : lines) body += l + sep;
  Counters before = counters(port);
  auto res = client(port).Post(path.c_str(), body, "application/x-ndjson");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 202) << res->body.substr(0, 2000);
  json s = json::parse(res->body);
  EXPECT_EQ(s["accepted"].get<size_t>(), accepted) << res->body.substr(0, 2000);
  EXPECT_EQ(s["rejected_count"].get<size_t>(), rejected.size()) << res->body.substr(0, 2000);
  ASSERT_EQ(s["rejected"].size(), std::min<size_t>(rejected.size(), 1000))
      << res->body.substr(0, 2000);
  const uint64_t first = s["first_offset"].get<uint64_t>();
  const uint64_t next = s["next_offset"].get<uint64_t>();
  EXPECT_EQ(next - first, accepted + rejected.size());
  EXPECT_EQ(first, before.log_end);
  ASSERT_TRUE(wait_applied(port, next));
  Counters after = counters(port);
  EXPECT_EQ(after.accepted - before.accepted, accepted);
  EXPECT_EQ(after.dead_letters - before.dead_letters, rejected.size());

  // Offsets: one record per non-blank line, in order.
  std::vector<uint64_t> offset_of(lines.size() + 1, 0);
  uint64_t o = first;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!blank_line(lines[i])) offset_of[i + 1] = o++;
  }
  std::map<uint64_t, json> dead;
  for (const json& d : get_json(port, "/api/v1/dead-letters?limit=100000"))
    dead[d["offset"].get<uint64_t>()] = d;
  for (size_t k = 0; k < rejected.size(); ++k) {
    const Rejection& r = rejected[k];
    std::string where = "line " + std::to_string(r.line);
    if (k < 1000) {
      const json& got = s["rejected"][k];
      EXPECT_EQ(got["line"].get<size_t>(), r.line) << where << ": " << got.dump();
      EXPECT_TRUE(r.codes.count(got["code"].get<std::string>())) << where << ": " << got.dump();
      EXPECT_FALSE(got["message"].get<std::string>().empty()) << where;
    }
    auto it = dead.find(offset_of[r.line]);
    if (it == dead.end() && dead.size() == kDeadLettersKept &&
        offset_of[r.line] < dead.begin()->first) {
      continue;  // older than the dead letters kept in memory
    }
    if (it == dead.end()) {
      ADD_FAILURE() << where << ": no dead letter at offset " << offset_of[r.line];
      continue;
    }
    const json& d = it->second;
    // The engine strips one '\r' before the '\n': the separator's, or the line's own.
    std::string raw = lines[r.line - 1];
    if (sep == "\n" && !raw.empty() && raw.back() == '\r') raw.pop_back();
    EXPECT_TRUE(r.codes.count(d["reason"].get<std::string>())) << where << ": " << d["reason"];
    if (k < 1000) {
      EXPECT_EQ(d["reason"], s["rejected"][k]["code"]) << where;
    }
    EXPECT_EQ(d["position"].get<size_t>(), r.line) << where;
    EXPECT_EQ(d["source"], "http") << where;
    EXPECT_EQ(d["raw_size"].get<size_t>(), raw.size()) << where;
    EXPECT_EQ(d["raw_truncated"].get<bool>(), raw.size() > kRawKept) << where;
    std::string kept = raw.substr(0, kRawKept);
    EXPECT_EQ(d["raw_base64"], base64(kept)) << where;
    if (printable_ascii(kept)) {
      EXPECT_EQ(d["raw"], kept) << where;
    }
    EXPECT_LE(d["raw"].get<std::string>().size(), 3 * kRawKept)
        << where;  // bounded even when escaped
  }
}

// Units received and sold of product `prod` in `store` (0 and 0 when there is no row).
std::pair<int64_t, int64_t> store_units(int port, int store, int64_t prod = 5) {
  json rows = get_json(port, "/api/v1/inventory?store=" + std::to_string(store));
  for (const json& r : rows) {
    if (r["prod_id"].get<int64_t>() == prod)
      return {r["total_received"].get<int64_t>(), r["total_sold"].get<int64_t>()};
  }
  return {0, 0};
}

void expect_received(int port, int store, int64_t received, int64_t sold = 0) {
  auto [r, s] = store_units(port, store);
  EXPECT_EQ(r, received) << "store " << store;
  EXPECT_EQ(s, sold) << "store " << store;
  EXPECT_EQ(get_json(port, "/api/v1/inventory?store=" + std::to_string(store)).size(),
            received + sold > 0 ? 1u : 0u)
      << "store " << store;
}

// The engine answers /healthz and /readyz and still takes a good line.
void expect_still_serving(int port, int* probes) {
  auto h = client(port).Get("/healthz");
  ASSERT_TRUE(h) << "the engine stopped answering";
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(h->body, R"({"status":"ok"})");
  auto r = client(port).Get("/readyz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  ++*probes;
  auto res = client(port).Post("/api/v1/events/inventory_shipment",
                               shipment("probe-" + std::to_string(*probes), 9999, 1) + "\n",
                               "application/x-ndjson");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  EXPECT_EQ(json::parse(res->body)["accepted"].get<int>(), 1) << res->body;
  ASSERT_TRUE(wait_applied(port, json::parse(res->body)["next_offset"].get<uint64_t>()));
  EXPECT_EQ(store_units(port, 9999).first, *probes);
}

std::vector<std::string> run_args(const TempDir& dir) {
  return {"run", "--data-dir", dir.sub("data"), "--port", "0", "--shards", "2"};
}

// ---------------------------------------------------------------------------------------------
// One engine with the default limits (64 MiB bodies, 1 MiB lines) for the whole suite. Each test
// uses stores of its own.

class Hostile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    engine_ = new EngineProcess(run_args(*dir_), dir_->sub("engine.log"));
    started_ = engine_->start();
  }
  static void TearDownTestSuite() {
    if (started_) {
      EXPECT_EQ(engine_->stop(), 0);
    }
    delete engine_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_TRUE(started_) << "engine did not start; see " << dir_->sub("engine.log");
  }
  void TearDown() override { expect_still_serving(port(), &probes_); }
  static int port() { return engine_->port(); }

  static TempDir* dir_;
  static EngineProcess* engine_;
  static bool started_;
  static int probes_;
};
TempDir* Hostile::dir_ = nullptr;
EngineProcess* Hostile::engine_ = nullptr;
bool Hostile::started_ = false;
int Hostile::probes_ = 0;

const std::string kShip = "/api/v1/events/inventory_shipment";
const std::string kSale = "/api/v1/events/sale_transaction";
const std::string kAny = "/api/v1/events";

}  // namespace

TEST_F(Hostile, InvalidUtf8) {
  const std::set<std::string> utf8 = {"invalid_utf8"};
  post_lines(
      port(), kShip,
      {
          shipment("u-1", 101, 5),
          shipment("u-\xff\xfe", 101, 1),              // bytes that never occur in UTF-8
          shipment("u-\xc0\xaf", 101, 1),              // overlong encoding of '/'
          shipment("u-\xed\xa0\x80", 101, 1),          // a UTF-16 surrogate
          shipment("u-\xe2\x82", 101, 1),              // truncated sequence
          shipment("u-\xf8\x88\x80\x80\x80", 101, 1),  // 5-byte form
          shipment("u-\xf4\x90\x80\x80", 101, 1),      // above U+10FFFF
          shipment("u-2", 101, 1) + "\x80",            // stray continuation byte after the object
          "\xff" + shipment("u-3", 101, 1),            // before it
          shipment("u-\xc3\xa9t\xc3\xa9", 101, 7),     // valid UTF-8 (é) is fine
      },
      2, {{2, utf8}, {3, utf8}, {4, utf8}, {5, utf8}, {6, utf8}, {7, utf8}, {8, utf8}, {9, utf8}});
  expect_received(port(), 101, 12);
}

TEST_F(Hostile, DeepNesting) {
  const std::string open_arrays(100'000, '[');
  const std::string close_arrays(100'000, ']');
  const std::string open_objects = [] {
    std::string s;
    for (int i = 0; i < 50'000; ++i) s += "{\"a\":";
    return s;
  }();
  auto started = std::chrono::steady_clock::now();
  post_lines(port(), kShip,
             {
                 shipment("d-1", 102, 3),
                 open_arrays,
                 open_arrays + close_arrays,
                 open_objects,
                 "{\"id\":" + open_arrays,
                 "{\"id\":" + open_arrays + close_arrays + "}",
                 "{\"x\":" + open_arrays + close_arrays + "}",
                 shipment("d-2", 102, 1) + open_arrays,
                 shipment_with("dt", open_arrays + close_arrays, 102),
                 shipment("d-3", 102, 4),
             },
             2,
             {
                 {2, {"not_object", "too_deep", "invalid_json"}},
                 {3, {"not_object", "too_deep"}},
                 {4, {"too_deep", "invalid_json"}},
                 {5, {"wrong_type", "too_deep", "invalid_json"}},
                 {6, {"wrong_type", "too_deep"}},
                 {7, {"unknown_field", "too_deep"}},
                 {8, {"invalid_json", "too_deep"}},
                 {9, {"wrong_type", "too_deep"}},
             });
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  expect_received(port(), 102, 7);
}

TEST_F(Hostile, HugeNumbers) {
  post_lines(
      port(), kSale,
      {
          sale("h-1", 103, 2), sale_with("unit_sold", "1e400", 103),
          sale_with("unit_sold", "99999999999999999999", 103),
          sale_with("unit_sold", "9223372036854775808", 103),
          sale_with("unit_sold", "-9223372036854775809", 103),
          sale_with("unit_sold", "1000001", 103), sale_with("prod_id", "99999999999999999999", 103),
          sale_with("store_id", "4294967297", 103),  // must not wrap to store 1
          sale_with("reorder_point", "10000000000", 103),
          sale_with("regular_unit_price", "1e400", 103),
          sale_with("regular_unit_price", "99999999999999999999", 103),
          sale_with("regular_unit_price", "1000000000.000001", 103),
          sale_with("regular_unit_price", "0.1234567", 103),
          sale_with("regular_unit_price", "1.5e2", 103),
          // The largest price and units allowed: an exact, large revenue.
          sale("h-2", 103, 9, "999999999.999999"),
          sale("h-3", 103, 1, "2.7500000"),  // extra zeros change nothing
      },
      3,
      {
          {2, {"wrong_type", "out_of_range"}},
          {3, {"out_of_range"}},
          {4, {"out_of_range"}},
          {5, {"out_of_range", "wrong_type"}},
          {6, {"out_of_range"}},
          {7, {"out_of_range"}},
          {8, {"out_of_range"}},
          {9, {"out_of_range"}},
          {10, {"invalid_money"}},
          {11, {"out_of_range"}},
          {12, {"out_of_range"}},
          {13, {"too_many_decimals"}},
          {14, {"invalid_money"}},
      });
  expect_received(port(), 103, 0, 12);
  auto res = client(port()).Get("/api/v1/inventory?store=103");
  ASSERT_TRUE(res);
  // 2 x 2.75 + 9 x 999999999.999999 + 1 x 2.7500000, written exactly.
  EXPECT_NE(res->body.find("\"revenue\":9000000008.249991,"), std::string::npos) << res->body;
  EXPECT_EQ(get_json(port(), "/api/v1/inventory?store=1").size(), 0u);
}

TEST_F(Hostile, NonFiniteTokens) {
  // Not JSON at all; any of these reasons is a clear refusal ("-Infinity" starts like a number,
  // so the money reader sees it first).
  const std::set<std::string> refused = {"invalid_json", "wrong_type"};
  const std::set<std::string> refused_money = {"invalid_json", "wrong_type", "invalid_money"};
  post_lines(port(), kSale,
             {
                 sale("n-1", 104, 1),
                 sale_with("unit_sold", "NaN", 104),
                 sale_with("unit_sold", "Infinity", 104),
                 sale_with("unit_sold", "-Infinity", 104),
                 sale_with("regular_unit_price", "NaN", 104),
                 sale_with("regular_unit_price", "Infinity", 104),
                 sale_with("regular_unit_price", "-Infinity", 104),
                 sale_with("regular_unit_price", "nan", 104),
                 sale_with("regular_unit_price", "inf", 104),
                 sale_with("regular_unit_price", "0x10", 104),
                 sale_with("regular_unit_price", ".5", 104),
                 sale("n-2", 104, 2),
             },
             2,
             {{2, refused},
              {3, refused},
              {4, refused},
              {5, refused_money},
              {6, refused_money},
              {7, refused_money},
              {8, refused_money},
              {9, refused_money},
              {10, refused_money},
              {11, refused_money}});
  expect_received(port(), 104, 0, 3);
}

TEST_F(Hostile, NegativeAndZeroValues) {
  const std::set<std::string> range = {"out_of_range"};
  post_lines(port(), kShip,
             {
                 shipment("neg-1", 105, 4),
                 shipment_with("unit_received", "-1", 105),
                 shipment_with("unit_received", "0", 105),
                 shipment_with("unit_received", "-0", 105),
                 shipment_with("prod_id", "-4", 105),
                 shipment_with("prod_id", "0", 105),
                 shipment_with("store_id", "-2", 105),
                 shipment_with("store_id", "0", 105),
                 shipment("neg-2", 105, 6),
             },
             2,
             {{2, range}, {3, range}, {4, range}, {5, range}, {6, range}, {7, range}, {8, range}});
  post_lines(port(), kSale,
             {
                 sale("neg-3", 105, 1),
                 sale_with("unit_sold", "-5", 105),
                 sale_with("regular_unit_price", "-1.50", 105),
                 sale_with("reorder_point", "-1", 105),
             },
             1, {{2, range}, {3, range}, {4, range}});
  expect_received(port(), 105, 10, 1);
}

TEST_F(Hostile, MissingExtraAndMistypedFields) {
  std::string long_id(129, 'x');
  post_lines(
      port(), kShip,
      {
          shipment("f-1", 106, 2),
          R"({"prod_id":5,"unit_received":1,"dt":"2024-05-01 12:00:00","store_id":106})",
          R"({"id":"f-x","prod_id":5,"unit_received":1,"store_id":106})",
          R"({"id":"f-x","prod_id":5,"dt":"2024-05-01 12:00:00","store_id":106})",
          R"({"id":"f-x","prod_id":5,"unit_received":1,"dt":"2024-05-01 12:00:00","store_id":106,"foo":1})",
          R"({"id":"f-x","prod_id":5,"unit_received":1,"unit_sold":1,"dt":"2024-05-01 12:00:00","store_id":106})",
          R"({"id":"f-x","id":"f-y","prod_id":5,"unit_received":1,"dt":"2024-05-01 12:00:00","store_id":106})",
          R"({"type":"sale","id":"f-x","prod_id":5,"unit_received":1,"dt":"2024-05-01 12:00:00","store_id":106})",
          shipment_with("id", "\"\"", 106),
          shipment_with("id", "\"   \"", 106),
          shipment_with("id", "\"" + long_id + "\"", 106),
          shipment_with("id", "null", 106),
          shipment_with("id", "42", 106),
          shipment_with("store_id", "\"106\"", 106),
          shipment_with("unit_received", "5.0", 106),
          shipment_with("unit_received", "true", 106),
          shipment_with("dt", "\"2024-02-30 12:00:00\"", 106),
          shipment_with("dt", "\"2024-05-01T12:00:00\"", 106),  // ISO 8601 without a zone
          shipment_with("dt", "\"1969-12-31 23:59:59\"", 106),
          shipment_with("dt", "\"yesterday\"", 106),
          "{}",
          "[]",
          "\"just a string\"",
          "42",
          "null",
          shipment("f-2", 106, 3),
      },
      2,
      {
          {2, {"missing_field"}},    {3, {"missing_field"}},  {4, {"missing_field"}},
          {5, {"unknown_field"}},    {6, {"unknown_field"}},  {7, {"duplicate_field"}},
          {8, {"type_mismatch"}},    {9, {"empty_field"}},    {10, {"empty_field"}},
          {11, {"string_too_long"}}, {12, {"wrong_type"}},    {13, {"wrong_type"}},
          {14, {"wrong_type"}},      {15, {"wrong_type"}},    {16, {"wrong_type"}},
          {17, {"invalid_time"}},    {18, {"invalid_time"}},  {19, {"invalid_time"}},
          {20, {"invalid_time"}},    {21, {"missing_field"}}, {22, {"not_object"}},
          {23, {"not_object"}},      {24, {"not_object"}},    {25, {"not_object"}},
      });
  // On /api/v1/events every line names its type.
  post_lines(
      port(), kAny,
      {
          R"({"type":"inventory_shipment",)" + shipment("f-3", 106, 5).substr(1),
          shipment("f-4", 106, 1), R"({"type":"refund",)" + shipment("f-5", 106, 1).substr(1),
          R"({"type":7,)" + shipment("f-6", 106, 1).substr(1),
          R"({"type":"sale",)" + shipment("f-7", 106, 1).substr(1),  // a shipment's fields
      },
      1,
      {{2, {"missing_field"}},
       {3, {"unknown_type"}},
       {4, {"wrong_type"}},
       {5, {"unknown_field", "missing_field"}}});
  expect_received(port(), 106, 10);
}

TEST_F(Hostile, FiftyMegabyteLineBetweenGoodLines) {
  std::string huge =
      R"({"id":")" + std::string(50u << 20, 'A') +
      R"(","prod_id":5,"unit_received":1,"dt":"2024-05-01 12:00:00","store_id":107})";
  post_lines(port(), kShip, {shipment("big-1", 107, 3), huge, shipment("big-2", 107, 4)}, 2,
             {{2, {"line_too_long"}}});
  // A line just over the 1 MiB limit, and one exactly at it (refused for its id length only).
  std::string over =
      R"({"id":")" + std::string((1u << 20) - 80, 'B') +
      R"(","prod_id":5,"unit_received":1,"dt":"2024-05-01 12:00:00","store_id":107})";
  std::string at = over.substr(0, 7) + over.substr(7 + (over.size() - (1u << 20)));
  ASSERT_GT(over.size(), 1u << 20);
  ASSERT_EQ(at.size(), 1u << 20);
  post_lines(port(), kShip, {over, at, shipment("big-3", 107, 5)}, 1,
             {{1, {"line_too_long"}}, {2, {"string_too_long"}}});
  expect_received(port(), 107, 12);
}

TEST_F(Hostile, EmptyBodies) {
  Counters before = counters(port());
  for (const std::string& body : {std::string(), std::string("\n"), std::string("\n\n  \n\t\n"),
                                  std::string("\r\n\r\n"), std::string("   ")}) {
    auto res = client(port()).Post(kShip.c_str(), body, "application/x-ndjson");
    expect_json_error(res, 400, "empty_body", "body \"" + body + "\"");
  }
  EXPECT_EQ(counters(port()).log_end, before.log_end);  // nothing logged
}

TEST_F(Hostile, WrongContentType) {
  Counters before = counters(port());
  std::string body = shipment("ct-1", 108, 1) + "\n";
  for (const char* type : {"text/csv", "application/xml", "application/x-www-form-urlencoded",
                           "application/ndjsonx", "text/plain-ish", "application/octet-stream"}) {
    expect_json_error(client(port()).Post(kShip.c_str(), body, type), 415, "unsupported_media_type",
                      type);
  }
  // cpp-httplib parses multipart bodies itself and refuses this one (it is not multipart) first.
  auto multipart = client(port()).Post(kShip.c_str(), body, "multipart/form-data; boundary=x");
  ASSERT_TRUE(multipart);
  if (multipart->status == 400) {
    expect_json_error(multipart, 400, "bad_request", "multipart");
  } else {
    expect_json_error(multipart, 415, "unsupported_media_type", "multipart");
  }
  expect_raw_json_error(
      raw_http(port(), "POST " + kShip +
                           " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body),
      415, "unsupported_media_type", "no Content-Type");
  EXPECT_EQ(counters(port()).log_end, before.log_end);
  expect_received(port(), 108, 0);
  // Media types are case-insensitive, parameters may follow, with or without spaces.
  int n = 0;
  for (const char* type :
       {"application/x-ndjson; charset=utf-8", "application/json", "application/jsonl",
        "text/plain", "Application/X-NDJSON", "application/x-ndjson ; charset=utf-8"}) {
    auto res = client(port()).Post(kShip.c_str(),
                                   shipment("ct-ok-" + std::to_string(n++), 108, 1) + "\n", type);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 202) << type << ": " << res->body;
    if (res->status == 202) {
      ASSERT_TRUE(wait_applied(port(), json::parse(res->body)["next_offset"].get<uint64_t>()));
    }
  }
  expect_received(port(), 108, n);
}

TEST_F(Hostile, BinaryGarbage) {
  std::mt19937 rng(20240501);
  auto garbage = [&](size_t n) {
    std::string s(n, '\0');
    for (char& c : s) c = char(rng() & 0xff);
    std::replace(s.begin(), s.end(), '\n', '\0');
    s[0] = '\0';  // surely not blank, surely not JSON
    s.back() = '\0';
    return s;
  };
  const std::set<std::string> refused = {"invalid_utf8", "invalid_json", "not_object"};
  std::string small = garbage(3000), big = garbage(10'000);
  post_lines(port(), kShip,
             {
                 shipment("g-1", 109, 1),
                 small,
                 shipment("g-2", 109, 2),
                 big,
                 std::string(100, '\0'),
                 shipment("g-3", 109, 4) + std::string(3, '\0'),
                 std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8),  // a gzip header
                 shipment("g-4", 109, 8),
             },
             3, {{2, refused}, {4, refused}, {5, refused}, {6, refused}, {7, refused}});
  // A body of garbage only, newlines and all.
  std::string body;
  for (int i = 0; i < 20; ++i) body += garbage(500) + "\n";
  auto res = client(port()).Post(kShip.c_str(), body, "application/x-ndjson");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 202);
  json s = json::parse(res->body);
  EXPECT_EQ(s["accepted"].get<int>(), 0);
  EXPECT_EQ(s["rejected_count"].get<int>(), 20);
  ASSERT_TRUE(wait_applied(port(), s["next_offset"].get<uint64_t>()));
  expect_received(port(), 109, 11);
}

TEST_F(Hostile, WhitespaceOnlyLinesAreSkipped) {
  post_lines(port(), kShip,
             {
                 shipment("ws-1", 110, 1), "     ", shipment("ws-2", 110, 2), "\t \t", "",
                 shipment("ws-3", 110, 4),
                 "{\"id\":",  // refused: its position counts the blank lines above
             },
             3, {{7, {"invalid_json"}}});
  expect_received(port(), 110, 7);
}

TEST_F(Hostile, CrlfLineEndings) {
  post_lines(port(), kShip,
             {shipment("crlf-1", 111, 1), "{\"id\":\"crlf-x\"}", shipment("crlf-2", 111, 2), "  ",
              shipment("crlf-3", 111, 4)},
             3, {{2, {"missing_field"}}}, "\r\n");
  // Mixed endings in one body.
  post_lines(port(), kShip,
             {shipment("crlf-4", 111, 8) + "\r", shipment("crlf-5", 111, 16), "nope\r"}, 2,
             {{3, {"invalid_json", "not_object"}}});
  expect_received(port(), 111, 31);
}

TEST_F(Hostile, ManyRefusedLinesInOneBody) {
  std::vector<std::string> lines;
  std::vector<Rejection> rejected;
  for (int i = 0; i < 1500; ++i) {
    lines.push_back("{\"id\":" + std::to_string(i) + "}");
    rejected.push_back({size_t(i + 1), {"wrong_type"}});
  }
  lines.push_back(shipment("many-1", 112, 9));
  post_lines(port(), kShip, lines, 1, rejected);  // the summary lists the first 1000
  expect_received(port(), 112, 9);
}

TEST_F(Hostile, OversizedIdempotencyKey) {
  Counters before = counters(port());
  httplib::Headers h{{"Idempotency-Key", std::string(257, 'k')}};
  expect_json_error(client(port()).Post(kShip.c_str(), h, shipment("ik-1", 113, 1) + "\n",
                                        "application/x-ndjson"),
                    400, "bad_idempotency_key", "257-byte key");
  EXPECT_EQ(counters(port()).log_end, before.log_end);
  httplib::Headers ok{{"Idempotency-Key", std::string(256, 'k')}};
  auto res = client(port()).Post(kShip.c_str(), ok, shipment("ik-2", 113, 2) + "\n",
                                 "application/x-ndjson");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 202) << res->body;
  ASSERT_TRUE(wait_applied(port(), json::parse(res->body)["next_offset"].get<uint64_t>()));
  expect_received(port(), 113, 2);
}

TEST_F(Hostile, UnknownRoutesAnswerJson404) {
  httplib::Client c = client(port());
  expect_json_error(c.Get("/api/v1/nope"), 404, "not_found", "GET /api/v1/nope");
  expect_json_error(c.Get("/api/v2/inventory"), 404, "not_found", "GET /api/v2/inventory");
  expect_json_error(c.Get("/api/v1/events"), 404, "not_found", "GET on a POST-only route");
  expect_json_error(c.Get("/no/such/file.js"), 404, "not_found", "GET /no/such/file.js");
  expect_json_error(c.Post("/api/v1/nope", "x\n", "application/x-ndjson"), 404, "not_found",
                    "POST /api/v1/nope");
  expect_json_error(c.Post("/api/v1/inventory", "x\n", "application/x-ndjson"), 404, "not_found",
                    "POST on a GET-only route");
  expect_json_error(c.Put("/api/v1/events", "x\n", "application/x-ndjson"), 404, "not_found",
                    "PUT /api/v1/events");
  expect_json_error(c.Delete("/api/v1/inventory"), 404, "not_found", "DELETE /api/v1/inventory");
}

TEST_F(Hostile, MalformedHttpRequests) {
  expect_raw_json_error(raw_http(port(), "GARBAGE\r\n\r\n"), 400, "bad_request",
                        "garbage request line");
  expect_raw_json_error(raw_http(port(), std::string("\0\x01\x02 / HTTP/1.1\r\n\r\n", 20)), 400,
                        "bad_request", "binary request line");
  // cpp-httplib reads an unparsable Content-Length as 0: an empty body.
  expect_raw_json_error(
      raw_http(port(), "POST " + kShip +
                           " HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n"
                           "Content-Type: application/x-ndjson\r\nConnection: close\r\n\r\n"),
      400, "empty_body", "bad Content-Length");
  expect_raw_json_error(raw_http(port(), "GET /api/v1/inventory?store=" + std::string(20'000, '1') +
                                             " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                        414, "uri_too_long", "20 kB request target");
}

TEST_F(Hostile, BadQueryParameters) {
  const std::vector<std::string> bad = {
      "/api/v1/inventory?store=abc",
      "/api/v1/inventory?store=0",
      "/api/v1/inventory?store=-1",
      "/api/v1/inventory?store=1000001",
      "/api/v1/inventory?store=1.5",
      "/api/v1/inventory?store=1e3",
      "/api/v1/inventory?store=",
      "/api/v1/inventory?store=99999999999999999999999",
      "/api/v1/inventory?store=%00",
      "/api/v1/inventory?store=" + std::string(5'000, '7'),
      "/api/v1/inventory?below_reorder=yes",
      "/api/v1/inventory?below_reorder=1",
      "/api/v1/best-sellers?limit=0",
      "/api/v1/best-sellers?limit=10001",
      "/api/v1/best-sellers?limit=ten",
      "/api/v1/best-sellers?store=x",
      "/api/v1/sales?window=5m",
      "/api/v1/sales?window=",
      "/api/v1/sales?window=1M",
      "/api/v1/sales?from=yesterday",
      "/api/v1/sales?to=2024-13-01T00:00:00Z",
      "/api/v1/sales?from=2024-05-01T12:00:00",
      "/api/v1/sales?from=",
      "/api/v1/sales?from=1.5",
      "/api/v1/shipments?limit=-1",
      "/api/v1/shipments?store=x",
      "/api/v1/dead-letters?limit=100001",
      "/api/v1/dead-letters?limit=x",
      "/api/v1/late-events?limit=0",
  };
  for (const std::string& q : bad) {
    expect_json_error(client(port()).Get(q.c_str()), 400, "bad_parameter", q.substr(0, 80));
  }
}

// ---------------------------------------------------------------------------------------------
// An engine with small limits: 1 MiB bodies, 5 lines per request.

namespace {

class HostileLimits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    std::ofstream(dir_->sub("limits.toml")) << "[http]\nmax_body_bytes = 1048576\nmax_lines = 5\n";
    std::vector<std::string> args = run_args(*dir_);
    args.push_back("--config");
    args.push_back(dir_->sub("limits.toml"));
    engine_ = new EngineProcess(args, dir_->sub("engine.log"));
    started_ = engine_->start();
  }
  static void TearDownTestSuite() {
    if (started_) {
      EXPECT_EQ(engine_->stop(), 0);
    }
    delete engine_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_TRUE(started_) << "engine did not start; see " << dir_->sub("engine.log");
  }
  void TearDown() override { expect_still_serving(port(), &probes_); }
  static int port() { return engine_->port(); }

  static TempDir* dir_;
  static EngineProcess* engine_;
  static bool started_;
  static int probes_;
};
TempDir* HostileLimits::dir_ = nullptr;
EngineProcess* HostileLimits::engine_ = nullptr;
bool HostileLimits::started_ = false;
int HostileLimits::probes_ = 0;

// `lines` good shipments to `store`, padded with a blank line so that the body has `size` bytes.
std::string padded_body(int store, int lines, size_t size) {
  std::string body;
  for (int i = 0; i < lines; ++i)
    body += shipment("pad-" + std::to_string(size) + "-" + std::to_string(i), store, 1) + "\n";
  if (body.size() + 1 < size) body += std::string(size - body.size() - 1, ' ') + "\n";
  return body;
}

}  // namespace

TEST_F(HostileLimits, BodyOverTheLimitIs413) {
  Counters before = counters(port());
  std::string over = padded_body(201, 2, (1u << 20) + 1);
  ASSERT_EQ(over.size(), (1u << 20) + 1);
  expect_json_error(client(port()).Post(kShip.c_str(), over, "application/x-ndjson"), 413,
                    "payload_too_large", "1 MiB + 1 byte body");
  // Far over the limit.
  std::string way_over = padded_body(201, 2, 20u << 20);
  expect_json_error(client(port()).Post(kShip.c_str(), way_over, "application/x-ndjson"), 413,
                    "payload_too_large", "20 MiB body");
  EXPECT_EQ(counters(port()).log_end, before.log_end);
  expect_received(port(), 201, 0);
  // Exactly at the limit: taken.
  std::string at = padded_body(201, 2, 1u << 20);
  ASSERT_EQ(at.size(), 1u << 20);
  auto res = client(port()).Post(kShip.c_str(), at, "application/x-ndjson");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  ASSERT_TRUE(wait_applied(port(), json::parse(res->body)["next_offset"].get<uint64_t>()));
  expect_received(port(), 201, 2);
}

TEST_F(HostileLimits, ChunkedBodyOverTheLimitIs413) {
  Counters before = counters(port());
  std::string over = padded_body(202, 2, 2u << 20);
  // Without a Content-Length: chunked transfer encoding.
  auto res = client(port()).Post(
      kShip.c_str(),
      [&](size_t offset, httplib::DataSink& sink) {
        size_t n = std::min<size_t>(64 << 10, over.size() - offset);
        sink.write(over.data() + offset, n);
        if (offset + n == over.size()) sink.done();
        return true;
      },
      "application/x-ndjson");
  expect_json_error(res, 413, "payload_too_large", "2 MiB chunked body");
  EXPECT_EQ(counters(port()).log_end, before.log_end);
  expect_received(port(), 202, 0);
}

TEST_F(HostileLimits, TooManyLinesIs413) {
  Counters before = counters(port());
  std::string six;
  for (int i = 0; i < 6; ++i) six += shipment("tm-" + std::to_string(i), 203, 1) + "\n";
  expect_json_error(client(port()).Post(kShip.c_str(), six, "application/x-ndjson"), 413,
                    "too_many_lines", "6 lines");
  // Refused lines count too.
  expect_json_error(
      client(port()).Post(kShip.c_str(), "a\nb\nc\nd\ne\nf\n", "application/x-ndjson"), 413,
      "too_many_lines", "6 bad lines");
  EXPECT_EQ(counters(port()).log_end, before.log_end);
  expect_received(port(), 203, 0);
  // Five lines, and blank lines between them, are within the limit.
  std::string five;
  for (int i = 0; i < 5; ++i) five += shipment("tm-ok-" + std::to_string(i), 203, 1) + "\n\n  \n";
  auto res = client(port()).Post(kShip.c_str(), five, "application/x-ndjson");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  ASSERT_TRUE(wait_applied(port(), json::parse(res->body)["next_offset"].get<uint64_t>()));
  expect_received(port(), 203, 5);
}

TEST_F(HostileLimits, NearLimitLineInALimitedBody) {
  // A line just under both the body and the line limit is parsed, and refused for its id.
  std::string line =
      R"({"id":")" + std::string((1u << 20) - 200, 'C') +
      R"(","prod_id":5,"unit_received":1,"dt":"2024-05-01 12:00:00","store_id":204})";
  post_lines(port(), kShip, {shipment("ll-1", 204, 3), line}, 1, {{2, {"string_too_long"}}});
  expect_received(port(), 204, 3);
}
