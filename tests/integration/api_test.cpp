// End-to-end API test: starts the real binary (`ledgerflow run --shards 2`, no generator), posts
// known sale and shipment events over HTTP and checks every figure the API reports against a
// model computed here, independently, from the events the test sent:
//   inventory (with the store and below_reorder filters), best sellers, sales per minute and per
//   hour, KPIs, pipeline counters and offsets, dead letters, shipments, late events, /metrics,
//   /healthz, /readyz;
// idempotency (Idempotency-Key replays, retried bodies without a key) and persistence across a
// SIGTERM restart (from the final checkpoint, and from the whole log with no checkpoint).
//
// Money is never compared as a double: before a response is parsed, the number tokens of money
// fields are turned into strings, checked for the exact decimal format and converted to integer
// micro-units by the test's own parser.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
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

constexpr int64_t kNone = INT64_MIN;
constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kOutOfOrderness = 15'000;  // watermark default
constexpr int64_t kRetention = 7 * kDay;     // window retention default

int64_t floor_to(int64_t v, int64_t unit) {
  int64_t q = v / unit;
  if (v % unit != 0 && v < 0) --q;
  return q * unit;
}

// ---------------------------------------------------------------------------------------------
// Exact money: micro-units (10^-6).

// Parses "12", "2.75", "12.345" into micro-units; fails the test on anything else.
int64_t parse_micros(const std::string& s) {
  EXPECT_FALSE(s.empty());
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && s[i] == '-') {
    neg = true;
    ++i;
  }
  int64_t whole = 0;
  size_t digits = 0;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i, ++digits) {
    whole = whole * 10 + (s[i] - '0');
  }
  EXPECT_GT(digits, 0u) << s;
  int64_t frac = 0;
  int frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
      EXPECT_LT(frac_digits, 6) << "more than 6 decimals: " << s;
      frac = frac * 10 + (s[i] - '0');
      ++frac_digits;
    }
  }
  EXPECT_EQ(i, s.size()) << "not a decimal: " << s;
  for (int k = frac_digits; k < 6; ++k) frac *= 10;
  int64_t m = whole * 1'000'000 + frac;
  return neg ? -m : m;
}

// The money fields of every API response.
const char* const kMoneyKeys[] = {
    "revenue", "regular_unit_price",     "cost_price", "value_at_cost", "revenue_today",
    "price",   "inventory_value_at_cost"};

// Turns the number token of every money field into a JSON string holding the same text, so that
// the exact decimal the server wrote survives parsing.
std::string quote_money(std::string body) {
  for (const char* key : kMoneyKeys) {
    std::string pat = std::string("\"") + key + "\":";
    size_t pos = 0;
    while ((pos = body.find(pat, pos)) != std::string::npos) {
      size_t v = pos + pat.size();
      size_t e = v;
      while (e < body.size() &&
             (std::isdigit(static_cast<unsigned char>(body[e])) || body[e] == '-' ||
              body[e] == '.' || body[e] == '+' || body[e] == 'e' || body[e] == 'E')) {
        ++e;
      }
      if (e > v) {
        body.insert(e, "\"");
        body.insert(v, "\"");
        e += 2;
      }
      pos = e;
    }
  }
  return body;
}

// A money field as the server wrote it: a JSON number (quoted by quote_money), plain decimal with
// 2 to 6 fraction digits and no needless trailing zero past the second, equal to `micros`.
void expect_money(const json& v, int64_t micros, const std::string& where) {
  ASSERT_TRUE(v.is_string()) << where << ": money must be a JSON number, got " << v.dump();
  const std::string s = v.get<std::string>();
  size_t dot = s.find('.');
  ASSERT_NE(dot, std::string::npos) << where << ": " << s;
  size_t frac = s.size() - dot - 1;
  EXPECT_GE(frac, 2u) << where << ": " << s;
  EXPECT_LE(frac, 6u) << where << ": " << s;
  if (frac > 2) {
    EXPECT_NE(s.back(), '0') << where << ": trailing zero in " << s;
  }
  EXPECT_EQ(parse_micros(s), micros) << where << ": " << s;
}

// ---------------------------------------------------------------------------------------------
// Time.

// "YYYY-MM-DD HH:MM:SS[.fff]" (UTC) to epoch milliseconds.
int64_t to_ms(const std::string& dt) {
  int y, mo, d, h, mi, s;
  EXPECT_EQ(std::sscanf(dt.c_str(), "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s), 6) << dt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  int64_t ms = int64_t(::timegm(&tm)) * 1000;
  if (dt.size() > 20 && dt[19] == '.') ms += std::stoi(dt.substr(20, 3));
  return ms;
}

std::string iso(int64_t ms) {
  std::time_t secs = std::time_t(floor_to(ms, 1000) / 1000);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                int(ms - floor_to(ms, 1000)));
  return buf;
}

using ledgerflow::testing::base64;

// ---------------------------------------------------------------------------------------------
// The built-in catalog entries the test uses (src/ingest/catalog.cpp), as plain data.

struct CatalogEntry {
  std::string name;
  int64_t price;  // micros
  int64_t cost;   // micros
  int64_t reorder_point;
};
const std::map<int64_t, CatalogEntry>& catalog() {
  static const std::map<int64_t, CatalogEntry> c = {
      {2, {"Cola 330ml Can", 1'500'000, 480'000, 250}},
      {4, {"Whole Milk 1L", 1'890'000, 950'000, 150}},
      {7, {"Potato Chips 150g", 2'990'000, 1'100'000, 150}},
      {9, {"Instant Coffee 200g", 6'490'000, 3'200'000, 60}},
  };
  return c;
}

// ---------------------------------------------------------------------------------------------
// Events and the lines that carry them.

struct Ev {
  bool sale = true;
  std::string id;
  int64_t prod = 0;
  std::optional<int> store;  // absent from the JSON: the default store 1
  int64_t units = 0;
  int64_t reorder_point = 0;  // sale only
  std::string price;          // sale only, the exact text sent
  std::string name;           // sale only
  std::string dt;
  std::string type_field;  // the "type" field, if sent
  int store_id() const { return store.value_or(1); }
};

Ev sale(std::string id, int64_t prod, std::optional<int> store, int64_t units, std::string price,
        int64_t rp, std::string name, std::string dt) {
  Ev e;
  e.sale = true;
  e.id = std::move(id);
  e.prod = prod;
  e.store = store;
  e.units = units;
  e.price = std::move(price);
  e.reorder_point = rp;
  e.name = std::move(name);
  e.dt = std::move(dt);
  return e;
}

Ev shipment(std::string id, int64_t prod, std::optional<int> store, int64_t units, std::string dt) {
  Ev e;
  e.sale = false;
  e.id = std::move(id);
  e.prod = prod;
  e.store = store;
  e.units = units;
  e.dt = std::move(dt);
  return e;
}

Ev typed(Ev e, std::string type) {
  e.type_field = std::move(type);
  return e;
}

std::string to_line(const Ev& e) {
  std::string s = "{";
  if (!e.type_field.empty()) s += "\"type\":\"" + e.type_field + "\",";
  s += "\"id\":\"" + e.id + "\",\"prod_id\":" + std::to_string(e.prod);
  if (e.sale) {
    s += ",\"prod_name\":\"" + e.name + "\",\"unit_sold\":" + std::to_string(e.units) +
         ",\"reorder_point\":" + std::to_string(e.reorder_point) +
         ",\"regular_unit_price\":" + e.price;
  } else {
    s += ",\"unit_received\":" + std::to_string(e.units);
  }
  s += ",\"dt\":\"" + e.dt + "\"";
  if (e.store) s += ",\"store_id\":" + std::to_string(*e.store);
  return s + "}";
}

// One physical line of a body: an event, a line the engine must refuse (with its reason) or a
// blank line (skipped, but it still counts for line numbers).
struct Item {
  std::string text;
  std::optional<Ev> ev;
  std::string reason;  // expected reason code for a refused line
  bool blank = false;
};
Item good(const Ev& e) {
  return Item{to_line(e), e, "", false};
}
Item bad(std::string text, std::string reason) {
  return Item{std::move(text), std::nullopt, std::move(reason), false};
}
Item blank(std::string text) {
  return Item{std::move(text), std::nullopt, "", true};
}

std::string body_of(const std::vector<Item>& items) {
  std::string b;
  for (const Item& i : items) b += i.text + "\n";
  return b;
}

// ---------------------------------------------------------------------------------------------
// The model: what the engine must report after the bodies it was sent, in log order.

struct Row {
  std::string name;
  int64_t sold = 0, received = 0, reorder_point = 0, price = 0, cost = 0, revenue = 0;
  int64_t last_event = 0, last_sale = -1;
  bool unknown = false;
  int64_t left() const { return received - sold; }
  bool below() const { return left() <= reorder_point; }
  int64_t value_at_cost() const { return std::max<int64_t>(0, left()) * cost; }
};

struct Win {
  int64_t units = 0, revenue = 0, lines = 0, shipments = 0, received = 0, late = 0;
};

struct ShipmentSeen {
  uint64_t offset;
  Ev ev;
};

struct DeadLetterSeen {
  uint64_t offset;
  std::string reason;
  int64_t position;
  std::string raw;
};

struct LateSeen {
  uint64_t offset;
  Ev ev;
  int64_t watermark;
};

struct Summary {
  size_t accepted = 0;
  std::vector<std::pair<size_t, std::string>> rejected;  // (line, code)
  uint64_t first_offset = 0, next_offset = 0;
};

class Model {
 public:
  // Applies one accepted body; returns the summary the engine must answer with.
  Summary post(const std::vector<Item>& items, bool keyed) {
    Summary s;
    s.first_offset = offset_;
    for (size_t i = 0; i < items.size(); ++i) {
      const Item& it = items[i];
      if (it.blank) continue;
      if (!it.ev) {
        s.rejected.emplace_back(i + 1, it.reason);
        dead_letters_.push_back(DeadLetterSeen{offset_, it.reason, int64_t(i + 1), it.text});
        by_reason_[it.reason] += 1;
        ++offset_;
        continue;
      }
      ++s.accepted;
      apply(*it.ev, offset_++);
    }
    if (keyed) ++offset_;  // the idempotency batch marker
    s.next_offset = offset_;
    return s;
  }

  uint64_t offset() const { return offset_; }
  uint64_t accepted() const { return accepted_; }
  uint64_t applied() const { return applied_; }
  uint64_t duplicates() const { return duplicates_; }
  uint64_t late_updates() const { return late_updates_; }
  uint64_t late_dropped() const { return late_dropped_; }
  uint64_t dead_letter_total() const { return dead_letters_.size(); }
  int64_t max_event() const { return max_event_; }
  // The watermark as documented: newest event time minus the allowed out-of-orderness.
  int64_t watermark() const { return max_event_ == kNone ? kNone : max_event_ - kOutOfOrderness; }
  const std::map<std::pair<int, int64_t>, Row>& rows() const { return rows_; }
  const std::map<int64_t, Win>& windows() const { return windows_; }
  const std::vector<ShipmentSeen>& shipments() const { return shipments_; }
  const std::vector<DeadLetterSeen>& dead_letters() const { return dead_letters_; }
  const std::map<std::string, uint64_t>& by_reason() const { return by_reason_; }
  const std::vector<LateSeen>& late() const { return late_; }

 private:
  void apply(const Ev& e, uint64_t offset) {
    const int64_t t = to_ms(e.dt);
    ++accepted_;
    // Every record is stamped with the watermark of the events before it.
    const int64_t stamp = stamp_;
    max_event_ = max_event_ == kNone ? t : std::max(max_event_, t);
    stamp_ = std::max(stamp_, max_event_ - kOutOfOrderness);
    // Identity: (type, store, product, id) -- a line repeated exactly is a retry.
    std::string identity = std::string(e.sale ? "sale/" : "shipment/") +
                           std::to_string(e.store_id()) + "/" + std::to_string(e.prod) + "/" + e.id;
    if (!seen_.insert(identity).second) {
      ++duplicates_;
      return;
    }
    ++applied_;
    Row& r = row(e);
    if (e.sale) {
      const int64_t price = parse_micros(e.price);
      r.sold += e.units;
      r.revenue += price * e.units;
      if (t >= r.last_sale) {  // the newest event time sets price and reorder point
        r.last_sale = t;
        r.price = price;
        r.reorder_point = e.reorder_point;
        if (r.unknown) r.name = e.name;
      }
    } else {
      r.received += e.units;
      shipments_.push_back(ShipmentSeen{offset, e});
    }
    r.last_event = std::max(r.last_event, t);
    if (stamp != kNone && t < stamp - kRetention) {
      ++late_dropped_;  // running totals count it, windows do not
      late_.push_back(LateSeen{offset, e, stamp});
      return;
    }
    Win& w = windows_[floor_to(t, kMinute)];
    if (e.sale) {
      w.units += e.units;
      w.revenue += parse_micros(e.price) * e.units;
      w.lines += 1;
    } else {
      w.shipments += 1;
      w.received += e.units;
    }
    if (stamp != kNone && floor_to(t, kMinute) + kMinute <= stamp) {
      ++late_updates_;
      ++w.late;
    }
  }

  Row& row(const Ev& e) {
    auto [it, inserted] = rows_.try_emplace({e.store_id(), e.prod});
    if (inserted) {
      auto c = catalog().find(e.prod);
      if (c != catalog().end()) {
        it->second.name = c->second.name;
        it->second.price = c->second.price;
        it->second.cost = c->second.cost;
        it->second.reorder_point = c->second.reorder_point;
      } else {
        it->second.unknown = true;
        it->second.name = "product " + std::to_string(e.prod);
      }
    }
    return it->second;
  }

  uint64_t offset_ = 0;
  uint64_t accepted_ = 0, applied_ = 0, duplicates_ = 0, late_updates_ = 0, late_dropped_ = 0;
  int64_t max_event_ = kNone;
  int64_t stamp_ = kNone;
  std::set<std::string> seen_;
  std::map<std::pair<int, int64_t>, Row> rows_;
  std::map<int64_t, Win> windows_;
  std::vector<ShipmentSeen> shipments_;
  std::vector<DeadLetterSeen> dead_letters_;
  std::map<std::string, uint64_t> by_reason_;
  std::vector<LateSeen> late_;
};

// ---------------------------------------------------------------------------------------------
// HTTP helpers.

httplib::Client client(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(5, 0);
  c.set_read_timeout(30, 0);
  c.set_write_timeout(30, 0);
  return c;
}

// GET `path`, expect 200 and application/json, parse with money quoted.
json get_json(int port, const std::string& path) {
  auto res = client(port).Get(path.c_str());
  EXPECT_TRUE(res) << path;
  if (!res) return json();
  EXPECT_EQ(res->status, 200) << path << ": " << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("application/json", 0), 0u) << path;
  return json::parse(quote_money(res->body));
}

std::string get_raw(int port, const std::string& path) {
  auto res = client(port).Get(path.c_str());
  EXPECT_TRUE(res) << path;
  if (!res) return "";
  EXPECT_EQ(res->status, 200) << path;
  return res->body;
}

bool wait_applied(int port, uint64_t offset) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = client(port).Get("/api/v1/pipeline");
    if (res && res->status == 200) {
      json p = json::parse(res->body);
      if (p["applied_offset"].get<uint64_t>() >= offset) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

// Posts a body, checks the 202 summary against the model's, waits until it is applied.
void post_and_check(int port, const std::string& path, const std::vector<Item>& items, Model* model,
                    const std::string& idempotency_key = "") {
  httplib::Headers headers;
  if (!idempotency_key.empty()) headers.emplace("Idempotency-Key", idempotency_key);
  auto res = client(port).Post(path.c_str(), headers, body_of(items), "application/x-ndjson");
  ASSERT_TRUE(res) << path;
  ASSERT_EQ(res->status, 202) << res->body;
  Summary want = model->post(items, !idempotency_key.empty());
  json got = json::parse(res->body);
  EXPECT_EQ(got["accepted"].get<size_t>(), want.accepted) << res->body;
  EXPECT_EQ(got["rejected_count"].get<size_t>(), want.rejected.size()) << res->body;
  ASSERT_EQ(got["rejected"].size(), want.rejected.size()) << res->body;
  for (size_t i = 0; i < want.rejected.size(); ++i) {
    EXPECT_EQ(got["rejected"][i]["line"].get<size_t>(), want.rejected[i].first) << res->body;
    EXPECT_EQ(got["rejected"][i]["code"], want.rejected[i].second) << res->body;
    EXPECT_FALSE(got["rejected"][i]["message"].get<std::string>().empty());
  }
  EXPECT_EQ(got["first_offset"].get<uint64_t>(), want.first_offset) << res->body;
  EXPECT_EQ(got["next_offset"].get<uint64_t>(), want.next_offset) << res->body;
  EXPECT_FALSE(got.contains("replayed"));
  ASSERT_TRUE(wait_applied(port, got["next_offset"].get<uint64_t>())) << "not applied in time";
}

std::map<std::string, std::string> parse_metrics(const std::string& text) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    size_t sp = line.rfind(' ');
    if (sp == std::string::npos) {
      ADD_FAILURE() << "bad metrics line: " << line;
      continue;
    }
    EXPECT_EQ(out.count(line.substr(0, sp)), 0u) << "metric twice: " << line;
    out[line.substr(0, sp)] = line.substr(sp + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Checks of every read endpoint against the model.

void check_inventory_row(const json& r, int store, int64_t prod, const Row& want) {
  std::string where =
      "inventory " + std::to_string(store) + "/" + std::to_string(prod) + " " + r.dump();
  EXPECT_EQ(r["store_id"].get<int>(), store) << where;
  EXPECT_EQ(r["prod_id"].get<int64_t>(), prod) << where;
  EXPECT_EQ(r["prod_name"], want.name) << where;
  EXPECT_EQ(r["total_sold"].get<int64_t>(), want.sold) << where;
  EXPECT_EQ(r["total_received"].get<int64_t>(), want.received) << where;
  EXPECT_EQ(r["unit_left"].get<int64_t>(), want.left()) << where;
  EXPECT_EQ(r["reorder_point"].get<int64_t>(), want.reorder_point) << where;
  EXPECT_EQ(r["below_reorder"].get<bool>(), want.below()) << where;
  expect_money(r["value_at_cost"], want.value_at_cost(), where + " value_at_cost");
  expect_money(r["regular_unit_price"], want.price, where + " regular_unit_price");
  expect_money(r["cost_price"], want.cost, where + " cost_price");
  expect_money(r["revenue"], want.revenue, where + " revenue");
  EXPECT_EQ(r["unknown_product"].get<bool>(), want.unknown) << where;
  EXPECT_EQ(r["last_event_time"], iso(want.last_event)) << where;
}

void check_inventory(int port, const Model& m, const std::string& query, std::optional<int> store,
                     bool below_only) {
  json rows = get_json(port, "/api/v1/inventory" + query);
  std::vector<std::pair<std::pair<int, int64_t>, Row>> want;
  for (const auto& [key, row] : m.rows()) {
    if (store && key.first != *store) continue;
    if (below_only && !row.below()) continue;
    want.emplace_back(key, row);
  }
  ASSERT_EQ(rows.size(), want.size()) << query << ": " << rows.dump();
  for (size_t i = 0; i < want.size(); ++i) {  // sorted by store, then product
    check_inventory_row(rows[i], want[i].first.first, want[i].first.second, want[i].second);
  }
}

struct Seller {
  int64_t prod;
  std::string name;
  int64_t units = 0, revenue = 0;
};

void check_best_sellers(int port, const Model& m, std::optional<int> store, size_t limit) {
  std::map<int64_t, Seller> by;
  for (const auto& [key, row] : m.rows()) {  // store, product order: the first row names it
    if (store && key.first != *store) continue;
    auto [it, inserted] = by.try_emplace(key.second, Seller{key.second, row.name});
    it->second.units += row.sold;
    it->second.revenue += row.revenue;
  }
  std::vector<Seller> all;
  for (auto& [id, s] : by) {
    if (s.units > 0) all.push_back(s);
  }
  std::vector<Seller> units = all, revenue = all;
  std::sort(units.begin(), units.end(), [](const Seller& a, const Seller& b) {
    return std::tie(b.units, b.revenue, a.prod) < std::tie(a.units, a.revenue, b.prod);
  });
  std::sort(revenue.begin(), revenue.end(), [](const Seller& a, const Seller& b) {
    return std::tie(b.revenue, b.units, a.prod) < std::tie(a.revenue, a.units, b.prod);
  });
  if (units.size() > limit) units.resize(limit);
  if (revenue.size() > limit) revenue.resize(limit);
  std::string q = "/api/v1/best-sellers?limit=" + std::to_string(limit);
  if (store) q += "&store=" + std::to_string(*store);
  json got = get_json(port, q);
  for (auto [key, want] :
       {std::make_pair("by_units", &units), std::make_pair("by_revenue", &revenue)}) {
    ASSERT_EQ(got[key].size(), want->size()) << q << " " << key << ": " << got.dump();
    for (size_t i = 0; i < want->size(); ++i) {
      const json& g = got[key][i];
      const Seller& w = (*want)[i];
      EXPECT_EQ(g["prod_id"].get<int64_t>(), w.prod)
          << q << " " << key << "[" << i << "] " << g.dump();
      EXPECT_EQ(g["prod_name"], w.name) << g.dump();
      EXPECT_EQ(g["units"].get<int64_t>(), w.units) << g.dump();
      expect_money(g["revenue"], w.revenue, q + " " + key + " revenue");
    }
  }
}

// Windows of `window_ms` whose start is in [from, to), each with all its minutes. Minutes that
// ended more than the retention behind the watermark are gone.
std::map<int64_t, Win> expected_windows(const Model& m, int64_t window_ms, int64_t from,
                                        int64_t to) {
  std::map<int64_t, Win> out;
  for (const auto& [start, w] : m.windows()) {
    if (m.watermark() != kNone && start + kMinute <= m.watermark() - kRetention) continue;
    int64_t s = floor_to(start, window_ms);
    if (s < from || s >= to) continue;
    Win& o = out[s];
    o.units += w.units;
    o.revenue += w.revenue;
    o.lines += w.lines;
    o.shipments += w.shipments;
    o.received += w.received;
    o.late += w.late;
  }
  return out;
}

void check_sales(int port, const Model& m, const std::string& window, int64_t window_ms,
                 int64_t from, int64_t to, const std::string& query) {
  json got = get_json(port, "/api/v1/sales?window=" + window + query);
  std::map<int64_t, Win> want = expected_windows(m, window_ms, from, to);
  ASSERT_EQ(got.size(), want.size()) << window << query << ": " << got.dump();
  size_t i = 0;
  for (const auto& [start, w] : want) {
    const json& g = got[i++];
    std::string where = "sales " + window + query + " " + g.dump();
    EXPECT_EQ(g["window_start"], iso(start)) << where;
    EXPECT_EQ(g["window_start_ms"].get<int64_t>(), start) << where;
    EXPECT_EQ(g["window_end_ms"].get<int64_t>(), start + window_ms) << where;
    EXPECT_EQ(g["units"].get<int64_t>(), w.units) << where;
    expect_money(g["revenue"], w.revenue, where);
    EXPECT_EQ(g["sale_lines"].get<int64_t>(), w.lines) << where;
    EXPECT_EQ(g["shipments"].get<int64_t>(), w.shipments) << where;
    EXPECT_EQ(g["units_received"].get<int64_t>(), w.received) << where;
    EXPECT_EQ(g["late_updates"].get<int64_t>(), w.late) << where;
    EXPECT_EQ(g["final"].get<bool>(), m.watermark() != kNone && start + window_ms <= m.watermark())
        << where;
    EXPECT_GT(g["version"].get<uint64_t>(), 0u) << where;
  }
}

void check_kpis(int port, const Model& m) {
  json k = get_json(port, "/api/v1/kpis");
  int64_t day = floor_to(m.max_event(), kDay);
  Win today;
  for (const auto& [start, w] : expected_windows(m, kDay, day, day + kDay)) {
    today.units += w.units;
    today.revenue += w.revenue;
    today.shipments += w.shipments;
    today.received += w.received;
  }
  int64_t value = 0, below = 0;
  for (const auto& [key, row] : m.rows()) {
    value += row.value_at_cost();
    below += row.below() ? 1 : 0;
  }
  EXPECT_EQ(k["day"], iso(day).substr(0, 10)) << k.dump();
  expect_money(k["revenue_today"], today.revenue, "kpis revenue_today");
  EXPECT_EQ(k["units_sold_today"].get<int64_t>(), today.units) << k.dump();
  EXPECT_EQ(k["shipments_today"].get<int64_t>(), today.shipments) << k.dump();
  EXPECT_EQ(k["units_received_today"].get<int64_t>(), today.received) << k.dump();
  expect_money(k["inventory_value_at_cost"], value, "kpis inventory_value_at_cost");
  EXPECT_EQ(k["below_reorder"].get<int64_t>(), below) << k.dump();
  EXPECT_EQ(k["products"].get<int64_t>(), int64_t(m.rows().size())) << k.dump();
  EXPECT_TRUE(k["events_per_s"].is_number()) << k.dump();
}

void check_pipeline(int port, const Model& m) {
  json p = get_json(port, "/api/v1/pipeline");
  EXPECT_EQ(p["events_accepted"].get<uint64_t>(), m.accepted()) << p.dump();
  EXPECT_EQ(p["events_applied"].get<uint64_t>(), m.applied()) << p.dump();
  EXPECT_EQ(p["duplicates"].get<uint64_t>(), m.duplicates()) << p.dump();
  EXPECT_EQ(p["dead_letters"].get<uint64_t>(), m.dead_letter_total()) << p.dump();
  EXPECT_EQ(p["late_updates"].get<uint64_t>(), m.late_updates()) << p.dump();
  EXPECT_EQ(p["late_dropped"].get<uint64_t>(), m.late_dropped()) << p.dump();
  EXPECT_EQ(p["late_events"].get<uint64_t>(), m.late_updates() + m.late_dropped()) << p.dump();
  EXPECT_EQ(p["log_end_offset"].get<uint64_t>(), m.offset()) << p.dump();
  EXPECT_EQ(p["applied_offset"].get<uint64_t>(), m.offset()) << p.dump();
  EXPECT_EQ(p["max_event_time"], iso(m.max_event())) << p.dump();
  EXPECT_EQ(p["watermark_ms"].get<int64_t>(), m.watermark()) << p.dump();
  EXPECT_EQ(p["watermark"], iso(m.watermark())) << p.dump();
  json by_reason = json::object();
  for (const auto& [code, n] : m.by_reason()) by_reason[code] = n;
  EXPECT_EQ(p["dead_letters_by_reason"], by_reason) << p.dump();
  EXPECT_EQ(p["shards"].get<int>(), 2) << p.dump();
  EXPECT_EQ(p["queue_depths"]["shards"].size(), 2u) << p.dump();
  EXPECT_EQ(p["ready"], true) << p.dump();
  EXPECT_EQ(p["fsync"], "interval") << p.dump();
}

void check_dead_letters(int port, const Model& m) {
  json got = get_json(port, "/api/v1/dead-letters?limit=1000");
  const auto& want = m.dead_letters();
  ASSERT_EQ(got.size(), want.size()) << got.dump();
  for (size_t i = 0; i < want.size(); ++i) {
    const json& g = got[i];
    const DeadLetterSeen& w = want[want.size() - 1 - i];  // newest first
    std::string where = "dead letter " + g.dump();
    EXPECT_EQ(g["offset"].get<uint64_t>(), w.offset) << where;
    EXPECT_EQ(g["reason"], w.reason) << where;
    EXPECT_FALSE(g["message"].get<std::string>().empty()) << where;
    EXPECT_EQ(g["source"], "http") << where;
    EXPECT_EQ(g["source_name"], "http") << where;
    EXPECT_EQ(g["partition"].get<int>(), 0) << where;
    EXPECT_EQ(g["position"].get<int64_t>(), w.position) << where;
    EXPECT_EQ(g["raw"], w.raw) << where;
    EXPECT_EQ(g["raw_base64"], base64(w.raw)) << where;
    EXPECT_EQ(g["raw_size"].get<size_t>(), w.raw.size()) << where;
    EXPECT_EQ(g["raw_truncated"], false) << where;
    EXPECT_TRUE(g["ingest_time"].is_string()) << where;
  }
}

void check_shipments(int port, const Model& m, std::optional<int> store, size_t limit) {
  std::vector<ShipmentSeen> want;
  for (const ShipmentSeen& s : m.shipments()) {
    if (!store || s.ev.store_id() == *store) want.push_back(s);
  }
  std::sort(want.begin(), want.end(), [](const ShipmentSeen& a, const ShipmentSeen& b) {
    int64_t ta = to_ms(a.ev.dt), tb = to_ms(b.ev.dt);
    return ta != tb ? ta > tb : a.offset > b.offset;  // newest event time first
  });
  if (want.size() > limit) want.resize(limit);
  std::string q = "/api/v1/shipments?limit=" + std::to_string(limit);
  if (store) q += "&store=" + std::to_string(*store);
  json got = get_json(port, q);
  ASSERT_EQ(got.size(), want.size()) << q << ": " << got.dump();
  for (size_t i = 0; i < want.size(); ++i) {
    const json& g = got[i];
    const Ev& e = want[i].ev;
    auto c = catalog().find(e.prod);
    std::string where = q + " " + g.dump();
    EXPECT_EQ(g["id"], e.id) << where;
    EXPECT_EQ(g["offset"].get<uint64_t>(), want[i].offset) << where;
    EXPECT_EQ(g["store_id"].get<int>(), e.store_id()) << where;
    EXPECT_EQ(g["prod_id"].get<int64_t>(), e.prod) << where;
    EXPECT_EQ(g["prod_name"],
              c != catalog().end() ? c->second.name : "product " + std::to_string(e.prod))
        << where;
    EXPECT_EQ(g["units"].get<int64_t>(), e.units) << where;
    EXPECT_EQ(g["dt"], iso(to_ms(e.dt))) << where;
  }
}

void check_late_events(int port, const Model& m) {
  json got = get_json(port, "/api/v1/late-events?limit=1000");
  const auto& want = m.late();
  ASSERT_EQ(got.size(), want.size()) << got.dump();
  for (size_t i = 0; i < want.size(); ++i) {
    const json& g = got[i];
    const LateSeen& w = want[want.size() - 1 - i];  // newest offset first
    EXPECT_EQ(g["offset"].get<uint64_t>(), w.offset) << g.dump();
    EXPECT_EQ(g["type"], w.ev.sale ? "sale_transaction" : "inventory_shipment") << g.dump();
    EXPECT_EQ(g["store_id"].get<int>(), w.ev.store_id()) << g.dump();
    EXPECT_EQ(g["prod_id"].get<int64_t>(), w.ev.prod) << g.dump();
    EXPECT_EQ(g["units"].get<int64_t>(), w.ev.units) << g.dump();
    EXPECT_EQ(g["event_time"], iso(to_ms(w.ev.dt))) << g.dump();
    EXPECT_EQ(g["watermark"], iso(w.watermark)) << g.dump();
  }
}

void check_metrics(int port, const Model& m) {
  auto res = client(port).Get("/metrics");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  auto mt = parse_metrics(res->body);
  auto num = [&](const std::string& k) -> std::string {
    EXPECT_TRUE(mt.count(k)) << "missing metric " << k << "\n" << res->body;
    return mt.count(k) ? mt[k] : "";
  };
  EXPECT_EQ(num("ledgerflow_events_accepted_total"), std::to_string(m.accepted()));
  EXPECT_EQ(num("ledgerflow_events_applied_total"), std::to_string(m.applied()));
  EXPECT_EQ(num("ledgerflow_duplicate_events_total"), std::to_string(m.duplicates()));
  for (const auto& [code, n] : m.by_reason()) {
    EXPECT_EQ(num("ledgerflow_dead_letters_total{reason=\"" + code + "\"}"), std::to_string(n));
  }
  size_t reasons = 0;
  for (const auto& [k, v] : mt)
    reasons += k.rfind("ledgerflow_dead_letters_total{", 0) == 0 ? 1 : 0;
  EXPECT_EQ(reasons, std::max<size_t>(1, m.by_reason().size())) << res->body;
  EXPECT_EQ(num("ledgerflow_late_events_total{kind=\"updated\"}"),
            std::to_string(m.late_updates()));
  EXPECT_EQ(num("ledgerflow_late_events_total{kind=\"dropped\"}"),
            std::to_string(m.late_dropped()));
  EXPECT_EQ(num("ledgerflow_log_end_offset"), std::to_string(m.offset()));
  EXPECT_EQ(num("ledgerflow_applied_offset"), std::to_string(m.offset()));
  int64_t value = 0, below = 0;
  for (const auto& [key, row] : m.rows()) {
    value += row.value_at_cost();
    below += row.below() ? 1 : 0;
  }
  EXPECT_EQ(num("ledgerflow_products_below_reorder"), std::to_string(below));
  EXPECT_EQ(parse_micros(num("ledgerflow_inventory_value_at_cost")), value);
  EXPECT_EQ(num("ledgerflow_ready"), "1");
  // The watermark gauge in seconds with millisecond precision.
  char wm[64];
  std::snprintf(wm, sizeof wm, "%lld.%03lld",
                static_cast<long long>(floor_to(m.watermark(), 1000) / 1000),
                static_cast<long long>(m.watermark() - floor_to(m.watermark(), 1000)));
  EXPECT_EQ(num("ledgerflow_watermark_seconds"), wm);
}

void check_health(int port) {
  auto h = client(port).Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(json::parse(h->body), json({{"status", "ok"}}));
  auto r = client(port).Get("/readyz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body), json({{"ready", true}}));
}

// Everything, as the model says it must be.
void check_everything(int port, const Model& m) {
  check_health(port);
  check_inventory(port, m, "", std::nullopt, false);
  for (int store : {1, 2, 3, 4}) {
    check_inventory(port, m, "?store=" + std::to_string(store), store, false);
    check_inventory(port, m, "?store=" + std::to_string(store) + "&below_reorder=true", store,
                    true);
  }
  check_inventory(port, m, "?below_reorder=true", std::nullopt, true);
  check_inventory(port, m, "?below_reorder=false", std::nullopt, false);
  check_best_sellers(port, m, std::nullopt, 10);
  check_best_sellers(port, m, std::nullopt, 2);
  check_best_sellers(port, m, 2, 10);
  check_kpis(port, m);
  check_pipeline(port, m);
  check_dead_letters(port, m);
  check_shipments(port, m, std::nullopt, 1000);
  check_shipments(port, m, std::nullopt, 2);
  check_shipments(port, m, 2, 1000);
  check_late_events(port, m);
  check_metrics(port, m);
}

// The day of the first phase: 2024-05-01, a few minutes after noon.
const int64_t kNoon = to_ms("2024-05-01 12:00:00");

void check_phase1_sales(int port, const Model& m) {
  const int64_t from = kNoon, to = kNoon + 10 * kMinute;
  // The same range given as milliseconds, as ISO 8601 and as the seed format.
  check_sales(port, m, "1m", kMinute, from, to,
              "&from=" + std::to_string(from) + "&to=" + std::to_string(to));
  check_sales(port, m, "1m", kMinute, from, to,
              "&from=2024-05-01T12:00:00Z&to=2024-05-01T12:10:00.000Z");
  check_sales(port, m, "1m", kMinute, from, to,
              "&from=2024-05-01%2012:00:00&to=2024-05-01%2012:10:00");
  // A sub-range: only minutes 12:01 and 12:02.
  check_sales(
      port, m, "1m", kMinute, kNoon + kMinute, kNoon + 3 * kMinute,
      "&from=" + std::to_string(kNoon + kMinute) + "&to=" + std::to_string(kNoon + 3 * kMinute));
  // The default range: the 60 windows up to the one holding the newest event.
  int64_t dto = floor_to(m.max_event(), kMinute) + kMinute;
  check_sales(port, m, "1m", kMinute, dto - 60 * kMinute, dto, "");
  // Hours and days roll up from the minutes.
  check_sales(
      port, m, "1h", kHour, kNoon - kHour, kNoon + 2 * kHour,
      "&from=" + std::to_string(kNoon - kHour) + "&to=" + std::to_string(kNoon + 2 * kHour));
  int64_t day = floor_to(kNoon, kDay);
  check_sales(port, m, "1d", kDay, day, day + kDay,
              "&from=" + std::to_string(day) + "&to=" + std::to_string(day + kDay));
}

// Phase 1: in-order and out-of-order events in three stores, an unknown product, refused lines,
// a retried body without a key, a keyed batch and its replay.
void run_phase1(int port, Model* m) {
  // Opening stock. Line 4 is blank (skipped, still numbered); line 7 is refused.
  post_and_check(
      port, "/api/v1/events/inventory_shipment",
      {
          good(shipment("s-100", 4, std::nullopt, 500, "2024-05-01 12:00:05")),
          good(shipment("s-101", 2, 2, 300, "2024-05-01 12:00:10")),
          good(shipment("s-102", 7, 1, 100, "2024-05-01 12:01:00.500")),
          blank("   "),
          good(shipment("s-103", 999, 2, 40, "2024-05-01 12:01:30")),
          good(shipment("s-104", 9, 3, 20, "2024-05-01 12:02:00")),
          bad(R"({"id":"s-bad","prod_id":4,"unit_received":0,"dt":"2024-05-01 12:02:00"})",
              "out_of_range"),
      },
      m);
  // Sales: receipts spanning lines, a price change, late lines that must not override the
  // newer price, an unknown product named by its sales.
  const std::vector<Item> sales = {
      good(
          sale("r-1", 4, std::nullopt, 3, "1.89", 150, "Whole Milk 1L", "2024-05-01 12:00:30.250")),
      good(sale("r-1", 7, std::nullopt, 2, "2.99", 150, "Potato Chips 150g",
                "2024-05-01 12:00:30.250")),
      good(sale("r-2", 2, 2, 10, "1.50", 250, "Cola 330ml Can", "2024-05-01 12:01:45")),
      good(sale("r-2", 999, 2, 4, "12.345", 50, "Artisan Honey 250g", "2024-05-01 12:01:45")),
      good(sale("r-3", 4, 1, 7, "1.95", 160, "Whole Milk 1L", "2024-05-01 12:03:10")),
      good(sale("r-4", 4, std::nullopt, 1, "1.79", 140, "Whole Milk 1L", "2024-05-01 12:00:50")),
      good(sale("r-5", 9, 3, 50, "6.49", 60, "Instant Coffee 200g", "2024-05-01 12:02:30")),
      bad(R"({"id":"r-x","prod_id":4,"prod_name":"Whole Milk 1L","unit_sold":"3","reorder_point":150,"regular_unit_price":1.89,"dt":"2024-05-01 12:03:00"})",
          "wrong_type"),
      good(sale("r-6", 999, 2, 1, "11.00", 60, "Honey (old name)", "2024-05-01 12:01:40")),
  };
  post_and_check(port, "/api/v1/events/sale_transaction", sales, m);
  // Mixed types on /api/v1/events, each line naming its type.
  post_and_check(
      port, "/api/v1/events",
      {
          good(typed(shipment("s-105", 4, 1, 200, "2024-05-01 12:04:00"), "inventory_shipment")),
          good(typed(sale("r-7", 2, 2, 5, "1.50", 250, "Cola 330ml Can", "2024-05-01 12:04:30"),
                     "sale_transaction")),
          good(typed(sale("r-7", 7, 2, 1, "2.99", 150, "Potato Chips 150g", "2024-05-01 12:04:30"),
                     "sale")),
          good(typed(shipment("s-106", 2, 2, 60, "2024-05-01 12:03:59"), "shipment")),
          bad(R"({"id":"s-x","prod_id":4,"unit_received":5,"dt":"2024-05-01 12:04:00"})",
              "missing_field"),
          bad(R"({"type":"refund","id":"s-y","prod_id":4,"unit_received":5,"dt":"2024-05-01 12:04:00"})",
              "unknown_type"),
      },
      m);
  // The sales body again, without a key: every event is a duplicate (the refused line is
  // refused, and dead-lettered, again).
  post_and_check(port, "/api/v1/events/sale_transaction", sales, m);
  // A partial retry: one old shipment and one new.
  post_and_check(port, "/api/v1/events/inventory_shipment",
                 {
                     good(shipment("s-101", 2, 2, 300, "2024-05-01 12:00:10")),
                     good(shipment("s-107", 9, 3, 30, "2024-05-01 12:05:00")),
                 },
                 m);
  // A keyed batch, then its replays.
  const std::vector<Item> keyed = {
      good(sale("r-9", 9, 3, 5, "6.49", 60, "Instant Coffee 200g", "2024-05-01 12:05:10")),
      good(shipment("s-108", 7, 1, 60, "2024-05-01 12:05:20")),
      bad(R"({"id":"s-z","prod_id":"4","unit_received":5,"dt":"2024-05-01 12:05:00"})",
          "wrong_type"),
  };
  // Mixed types need /api/v1/events and a type per line.
  std::vector<Item> keyed_typed = keyed;
  keyed_typed[0] = good(typed(*keyed[0].ev, "sale_transaction"));
  keyed_typed[1] = good(typed(*keyed[1].ev, "inventory_shipment"));
  keyed_typed[2] = bad(
      R"({"type":"inventory_shipment","id":"s-z","prod_id":"4","unit_received":5,"dt":"2024-05-01 12:05:00"})",
      "wrong_type");
  post_and_check(port, "/api/v1/events", keyed_typed, m, "batch-E-7f3a");
}

// A replay of the keyed batch: 200, the original summary, nothing logged again. `body` may
// differ from the original: the key alone decides.
void check_replay(int port, const Model& m, const std::string& body) {
  httplib::Headers headers{{"Idempotency-Key", "batch-E-7f3a"}};
  auto res = client(port).Post("/api/v1/events", headers, body, "application/x-ndjson");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Idempotent-Replayed"), "true");
  json j = json::parse(res->body);
  EXPECT_EQ(j["replayed"], true) << res->body;
  EXPECT_EQ(j["accepted"].get<int>(), 2) << res->body;
  EXPECT_EQ(j["rejected_count"].get<int>(), 1) << res->body;
  ASSERT_EQ(j["rejected"].size(), 1u) << res->body;
  EXPECT_EQ(j["rejected"][0]["line"].get<int>(), 3) << res->body;
  EXPECT_EQ(j["rejected"][0]["code"], "wrong_type") << res->body;
  // Nothing was logged: the log still ends where the model says.
  json p = get_json(port, "/api/v1/pipeline");
  EXPECT_EQ(p["log_end_offset"].get<uint64_t>(), m.offset()) << p.dump();
}

// Everything a client can read, minus what changes with time or process lifetime.
json snapshot(int port) {
  json s;
  for (const char* path :
       {"/api/v1/inventory", "/api/v1/best-sellers?limit=100", "/api/v1/kpis", "/api/v1/pipeline",
        "/api/v1/dead-letters?limit=1000", "/api/v1/shipments?limit=1000",
        "/api/v1/late-events?limit=1000", "/api/v1/stores", "/api/v1/catalog",
        "/api/v1/sales?window=1m&from=0&to=9999999999999",
        "/api/v1/sales?window=1h&from=0&to=9999999999999"}) {
    s[path] = get_json(port, path);
  }
  for (const char* k : {"events_per_s", "uptime_s", "watermark_lag_ms", "checkpoint_age_s",
                        "checkpoint_offset", "log_bytes_written", "sinks"}) {
    s["/api/v1/pipeline"].erase(k);
  }
  s["/api/v1/kpis"].erase("events_per_s");
  return s;
}

void expect_same_snapshot(const json& before, const json& after) {
  for (auto it = before.begin(); it != before.end(); ++it) {
    EXPECT_EQ(after[it.key()], it.value())
        << it.key() << "\nbefore: " << it.value().dump() << "\nafter:  " << after[it.key()].dump();
  }
}

std::vector<std::string> run_args(const TempDir& dir, const std::string& shards = "2") {
  return {"run", "--data-dir", dir.sub("data"), "--port", "0", "--shards", shards};
}

}  // namespace

TEST(Api, EveryFigureMatchesTheEventsSentAndSurvivesRestart) {
  TempDir dir;
  auto engine = std::make_unique<EngineProcess>(run_args(dir), dir.sub("engine.log"));
  ASSERT_TRUE(engine->start()) << "see " << dir.sub("engine.log");
  int port = engine->port();
  Model m;

  // A fresh engine: healthy, ready, empty.
  check_health(port);
  EXPECT_EQ(get_json(port, "/api/v1/inventory"), json::array());
  EXPECT_EQ(get_json(port, "/api/v1/dead-letters"), json::array());
  {
    json p = get_json(port, "/api/v1/pipeline");
    EXPECT_EQ(p["log_end_offset"].get<uint64_t>(), 0u);
    EXPECT_TRUE(p["watermark"].is_null()) << p.dump();
    EXPECT_TRUE(p["watermark_ms"].is_null()) << p.dump();
    auto mt = parse_metrics(get_raw(port, "/metrics"));
    EXPECT_EQ(mt["ledgerflow_dead_letters_total{reason=\"none\"}"], "0");
    EXPECT_EQ(mt.count("ledgerflow_watermark_seconds"), 0u);
  }
  // The catalog entries the model relies on.
  {
    json cat = get_json(port, "/api/v1/catalog");
    ASSERT_EQ(cat.size(), 25u);
    for (const auto& [id, c] : catalog()) {
      const json& p = cat[size_t(id - 1)];
      EXPECT_EQ(p["id"].get<int64_t>(), id);
      EXPECT_EQ(p["item_name"], c.name);
      expect_money(p["price"], c.price, "catalog price");
      expect_money(p["cost_price"], c.cost, "catalog cost_price");
      EXPECT_EQ(p["reorder_point"].get<int64_t>(), c.reorder_point);
    }
  }

  ASSERT_NO_FATAL_FAILURE(run_phase1(port, &m));
  ASSERT_NO_FATAL_FAILURE(check_replay(port, m, "x\n"));  // a different body: the key decides
  ASSERT_NO_FATAL_FAILURE(check_everything(port, m));
  ASSERT_NO_FATAL_FAILURE(check_phase1_sales(port, m));
  // Sanity of the model itself (so that a wrong model cannot pass silently).
  EXPECT_EQ(m.duplicates(), 9u);    // 8 sales re-sent + s-101
  EXPECT_EQ(m.late_updates(), 5u);  // r-1 (2 lines), r-4, r-6, s-106
  EXPECT_EQ(m.dead_letter_total(), 6u);
  EXPECT_EQ(m.rows().size(), 6u);
  EXPECT_EQ(get_json(port, "/api/v1/stores"), json::array({1, 2, 3}));

  // Phase 2: eight days later. Then events of the first day: older than the retention behind
  // the watermark, so they count in the running totals but not in any window.
  post_and_check(
      port, "/api/v1/events/sale_transaction",
      {good(sale("r-10", 4, std::nullopt, 2, "1.95", 160, "Whole Milk 1L", "2024-05-09 12:00:00"))},
      &m);
  post_and_check(
      port, "/api/v1/events",
      {
          good(typed(sale("r-11", 7, 1, 4, "3.05", 155, "Potato Chips 150g", "2024-05-01 13:00:00"),
                     "sale")),
          good(typed(shipment("s-109", 2, 2, 120, "2024-05-01 13:00:00"), "shipment")),
          good(
              typed(sale("r-12", 9, 3, 1, "6.49", 60, "Instant Coffee 200g", "2024-05-09 11:58:00"),
                    "sale")),
          good(typed(shipment("s-110", 998, 4, 10, "2024-05-09 12:00:30"), "shipment")),
      },
      &m);
  EXPECT_EQ(m.late_dropped(), 2u);
  EXPECT_EQ(m.late_updates(), 6u);
  ASSERT_NO_FATAL_FAILURE(check_everything(port, m));
  check_sales(port, m, "1m", kMinute, to_ms("2024-05-09 00:00:00"), to_ms("2024-05-10 00:00:00"),
              "&from=2024-05-09T00:00:00Z&to=2024-05-10T00:00:00Z");
  check_sales(port, m, "1d", kDay, to_ms("2024-05-09 00:00:00"), to_ms("2024-05-10 00:00:00"),
              "&from=2024-05-09T00:00:00Z&to=2024-05-10T00:00:00Z");
  // The first day is now past the retention: its windows are gone, in every shard alike (none
  // may be reported partly evicted), while its events still count in the totals above.
  EXPECT_EQ(
      get_json(port, "/api/v1/sales?window=1m&from=2024-05-01T00:00:00Z&to=2024-05-02T00:00:00Z"),
      json::array());
  EXPECT_EQ(
      get_json(port, "/api/v1/sales?window=1d&from=2024-05-01T00:00:00Z&to=2024-05-02T00:00:00Z"),
      json::array());

  // Restart with SIGTERM: the final checkpoint plus the log give back exactly the same state.
  json before = snapshot(port);
  EXPECT_EQ(engine->stop(), 0);
  engine = std::make_unique<EngineProcess>(run_args(dir), dir.sub("engine.log"));
  ASSERT_TRUE(engine->start()) << "see " << dir.sub("engine.log");
  port = engine->port();
  ASSERT_TRUE(wait_applied(port, m.offset()));
  EXPECT_TRUE(std::filesystem::exists(dir.sub("data/checkpoints")));
  expect_same_snapshot(before, snapshot(port));
  ASSERT_NO_FATAL_FAILURE(check_everything(port, m));
  // Idempotency keys survive the restart; so does the dedupe of a retried body.
  ASSERT_NO_FATAL_FAILURE(check_replay(port, m, "{}\n"));
  post_and_check(port, "/api/v1/events/inventory_shipment",
                 {good(shipment("s-105", 4, 1, 200, "2024-05-01 12:04:00")),
                  good(shipment("s-111", 4, 1, 40, "2024-05-09 12:01:00"))},
                 &m);
  ASSERT_NO_FATAL_FAILURE(check_everything(port, m));

  // Restart with no checkpoint at all: the whole log replayed gives the same state again.
  before = snapshot(port);
  EXPECT_EQ(engine->stop(), 0);
  std::filesystem::remove_all(dir.sub("data/checkpoints"));
  engine = std::make_unique<EngineProcess>(run_args(dir), dir.sub("engine.log"));
  ASSERT_TRUE(engine->start()) << "see " << dir.sub("engine.log");
  port = engine->port();
  ASSERT_TRUE(wait_applied(port, m.offset()));
  expect_same_snapshot(before, snapshot(port));
  ASSERT_NO_FATAL_FAILURE(check_everything(port, m));
  ASSERT_NO_FATAL_FAILURE(check_replay(port, m, "{}\n"));
  EXPECT_EQ(engine->stop(), 0);
}

// An hour window asked for with `to` inside the hour: the window's start is in [from, to), so
// it is returned, and with all its minutes (docs/API.md: windows whose start is in the range).
TEST(Api, HourWindowIsWholeWhenToFallsInsideIt) {
  TempDir dir;
  EngineProcess engine(run_args(dir), dir.sub("engine.log"));
  ASSERT_TRUE(engine.start());
  Model m;
  post_and_check(
      engine.port(), "/api/v1/events/sale_transaction",
      {
          good(sale("h-1", 4, 1, 3, "1.89", 150, "Whole Milk 1L", "2024-05-01 12:00:10")),
          good(sale("h-2", 4, 1, 5, "1.89", 150, "Whole Milk 1L", "2024-05-01 12:40:00")),
      },
      &m);
  check_sales(engine.port(), m, "1h", kHour, kNoon, kNoon + 30 * kMinute,
              "&from=" + std::to_string(kNoon) + "&to=" + std::to_string(kNoon + 30 * kMinute));
}

// A client that retries as soon as it has its answer must get the replay, never a second 202.
TEST(Api, ImmediateRetryWithSameKeyIsReplayed) {
  TempDir dir;
  EngineProcess engine(run_args(dir), dir.sub("engine.log"));
  ASSERT_TRUE(engine.start());
  httplib::Client c = client(engine.port());
  int second_202 = 0;
  uint64_t last_next = 0;
  for (int i = 0; i < 50; ++i) {
    std::string body =
        to_line(shipment("imm-" + std::to_string(i), 4, 1, 1, "2024-05-01 12:00:00")) + "\n";
    httplib::Headers h{{"Idempotency-Key", "imm-key-" + std::to_string(i)}};
    auto first = c.Post("/api/v1/events/inventory_shipment", h, body, "application/x-ndjson");
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 202) << first->body;
    last_next = json::parse(first->body)["next_offset"].get<uint64_t>();
    auto again = c.Post("/api/v1/events/inventory_shipment", h, body, "application/x-ndjson");
    ASSERT_TRUE(again);
    if (again->status != 200) {
      ++second_202;
      last_next = json::parse(again->body)["next_offset"].get<uint64_t>();
    }
  }
  ASSERT_TRUE(wait_applied(engine.port(), last_next));
  json inv = get_json(engine.port(), "/api/v1/inventory");
  ASSERT_EQ(inv.size(), 1u);
  EXPECT_EQ(inv[0]["total_received"].get<int>(), 50);  // never counted twice, either way
  EXPECT_EQ(second_202, 0)
      << "immediate retries with the same Idempotency-Key were processed again";
}

// Dedupe identity is (type, store, product, id); the result must not depend on how many shards
// the engine runs (regression: identities once spanned shards and results varied with --shards).
TEST(Api, DedupeDoesNotDependOnShardCount) {
  std::vector<Item> items = {
      good(shipment("shp-1", 1, 1, 10, "2024-05-01 12:00:00")),
      good(shipment("shp-1", 2, 1, 10, "2024-05-01 12:00:00")),  // same shipment id, other product
      good(shipment("shp-1", 3, 1, 10, "2024-05-01 12:00:00")),
      good(shipment("shp-1", 5, 2, 10, "2024-05-01 12:00:00")),
      good(sale("rc-1", 4, 1, 1, "1.89", 150, "Whole Milk 1L", "2024-05-01 12:00:01")),
      good(sale("rc-1", 4, 2, 1, "1.89", 150, "Whole Milk 1L",
                "2024-05-01 12:00:01")),  // other store
      good(sale("rc-1", 4, 3, 1, "1.89", 150, "Whole Milk 1L", "2024-05-01 12:00:01")),
      good(shipment("shp-1", 2, 1, 10, "2024-05-01 12:00:00")),  // an exact repeat: a retry
  };
  std::map<std::string, json> inventory;
  for (const std::string shards : {"1", "2", "3"}) {
    TempDir dir;
    EngineProcess engine(run_args(dir, shards), dir.sub("engine.log"));
    ASSERT_TRUE(engine.start());
    auto res = client(engine.port())
                   .Post("/api/v1/events", body_of([&] {
                           std::vector<Item> t;
                           for (const Item& i : items) {
                             t.push_back(good(typed(*i.ev, i.ev->sale ? "sale" : "shipment")));
                           }
                           return t;
                         }()),
                         "application/x-ndjson");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202);
    ASSERT_TRUE(wait_applied(engine.port(), json::parse(res->body)["next_offset"].get<uint64_t>()));
    inventory[shards] = get_json(engine.port(), "/api/v1/inventory");
  }
  EXPECT_EQ(inventory["1"], inventory["2"]);
  EXPECT_EQ(inventory["1"], inventory["3"]);
  // A shipment document lists several products and two stores may number receipts alike: all
  // seven lines count, plus an exact repeat of one of them that does not.
  Model m;
  m.post(items, false);
  EXPECT_EQ(inventory["1"].size(), m.rows().size()) << inventory["1"].dump();
  EXPECT_EQ(m.rows().size(), 7u);
}
