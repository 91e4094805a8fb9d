#include "sources/generator.h"

#include <fmt/format.h>

#include "core/event_time.h"
#include "core/json_escape.h"

namespace ledgerflow {

Generator::Generator(const Catalog* catalog, GeneratorOptions options)
    : catalog_(catalog), options_(options), rng_(options.seed) {
  if (options_.start_ms == 0) options_.start_ms = now_ms();
  if (options_.stores < 1) options_.stores = 1;
  initial_done_ = !options_.initial_stock;
}

void Generator::set_on_hand(int32_t store, int64_t prod_id, int64_t units) {
  on_hand_[{store, prod_id}] = units;
  initial_done_ = true;  // the engine already holds stock: do not ship the opening stock again
}

int64_t Generator::event_time() const {
  double per_s = options_.rate > 0 ? options_.rate : options_.clock_rate;
  return options_.start_ms +
         int64_t(double(emitted_ + (planned_.size() - planned_pos_)) * 1000.0 / per_s);
}

int64_t Generator::due_ms() const {
  if (options_.rate <= 0) return 0;
  return options_.start_ms + int64_t(double(emitted_) * 1000.0 / options_.rate);
}

std::string Generator::uuid() {
  uint64_t a = rng_(), b = rng_();
  a = (a & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
  b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // variant 10
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xFFFF, a & 0xFFFF,
                     b >> 48, b & 0xFFFFFFFFFFFFull);
}

void Generator::plan_shipment(int32_t store, const Product& p, int64_t units) {
  std::string json = "{\"id\":\"" + uuid() + "\",\"prod_id\":" + std::to_string(p.id) +
                     ",\"unit_received\":" + std::to_string(units) + ",\"dt\":\"" +
                     format_event_time(event_time()) + "\"";
  if (options_.stores > 1) json += ",\"store_id\":" + std::to_string(store);
  json += '}';
  planned_.push_back({EventType::kShipment, std::move(json), event_time()});
  on_hand_[{store, p.id}] += units;
}

void Generator::plan_initial_stock() {
  for (int32_t store = 1; store <= options_.stores; ++store) {
    for (const Product& p : catalog_->products()) {
      plan_shipment(store, p, p.reorder_point + options_.shipment_lot);
    }
  }
  initial_done_ = true;
}

void Generator::plan_cart() {
  const auto& products = catalog_->products();
  std::uniform_int_distribution<int> store_dist(1, options_.stores);
  std::uniform_int_distribution<int> lines_dist(1, std::min<int>(10, int(products.size())));
  std::uniform_int_distribution<int64_t> units_dist(1, 10);
  int32_t store = store_dist(rng_);
  int lines = lines_dist(rng_);
  // Pick `lines` distinct products (partial Fisher-Yates over indexes).
  std::vector<size_t> idx(products.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::string receipt = uuid();
  int64_t dt = event_time();
  std::string dt_text = format_event_time(dt);
  std::vector<const Product*> restock;
  for (int i = 0; i < lines; ++i) {
    std::uniform_int_distribution<size_t> pick(size_t(i), idx.size() - 1);
    std::swap(idx[size_t(i)], idx[pick(rng_)]);
    const Product& p = products[idx[size_t(i)]];
    int64_t units = units_dist(rng_);
    std::string json =
        "{\"id\":\"" + receipt + "\",\"prod_id\":" + std::to_string(p.id) + ",\"prod_name\":";
    append_json_string(&json, p.name);
    json += ",\"unit_sold\":" + std::to_string(units) +
            ",\"reorder_point\":" + std::to_string(p.reorder_point) +
            ",\"regular_unit_price\":" + p.price.to_string() + ",\"dt\":\"" + dt_text + "\"";
    if (options_.stores > 1) json += ",\"store_id\":" + std::to_string(store);
    json += '}';
    planned_.push_back({EventType::kSale, std::move(json), dt});
    int64_t& left = on_hand_[{store, p.id}];
    left -= units;
    if (left <= p.reorder_point) restock.push_back(&p);
  }
  for (const Product* p : restock) plan_shipment(store, *p, options_.shipment_lot);
}

bool Generator::next(GeneratedLine* out) {
  if (options_.count != 0 && emitted_ >= options_.count) return false;
  if (planned_pos_ == planned_.size()) {
    planned_.clear();
    planned_pos_ = 0;
    if (!initial_done_) {
      plan_initial_stock();
    } else {
      plan_cart();
    }
  }
  *out = std::move(planned_[planned_pos_++]);
  ++emitted_;
  return true;
}

}  // namespace ledgerflow
