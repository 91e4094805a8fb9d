#pragma once
// A realistic point-of-sale workload, like the Kafka + Flink inventory demo's data generator:
// carts of 1-10 distinct products with 1-10 units each, a shipment of a fixed lot whenever a
// product's on-hand falls to its reorder point, initial stock at start, several stores.
// Deterministic for a given seed and start time: event times come from a simulated clock that
// advances 1000/rate ms per event (a paced run keeps that clock level with the wall clock).
//
// Not thread-safe; owned by whoever drives it (the generate command or a GeneratorSource).
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/event.h"
#include "ingest/catalog.h"

namespace ledgerflow {

struct GeneratorOptions {
  uint64_t seed = 42;
  int stores = 1;
  int64_t shipment_lot = 500;
  int64_t start_ms = 0;       // simulated clock start; 0 means now
  double rate = 0;            // events per second of wall clock; 0 = as fast as possible
  double clock_rate = 100;    // events per simulated second when rate == 0
  uint64_t count = 0;         // stop after this many events; 0 = unbounded
  bool initial_stock = true;  // begin with a shipment per product x store
};

struct GeneratedLine {
  EventType type;
  std::string json;
  int64_t event_time_ms;
};

class Generator {
 public:
  Generator(const Catalog* catalog, GeneratorOptions options);

  // Appends the next event (a cart yields several calls' worth). False once `count` is reached.
  bool next(GeneratedLine* out);
  // Sets the generator's view of on-hand stock (resuming against an engine that has state).
  void set_on_hand(int32_t store, int64_t prod_id, int64_t units);

  uint64_t emitted() const { return emitted_; }
  const GeneratorOptions& options() const { return options_; }
  // Wall-clock ms at which the next event is due (paced runs).
  int64_t due_ms() const;

 private:
  void plan_initial_stock();
  void plan_cart();
  void plan_shipment(int32_t store, const Product& p, int64_t units);
  std::string uuid();
  int64_t event_time() const;

  const Catalog* catalog_;
  GeneratorOptions options_;
  std::mt19937_64 rng_;
  std::map<std::pair<int32_t, int64_t>, int64_t> on_hand_;
  std::vector<GeneratedLine> planned_;  // events of the current cart, in order
  size_t planned_pos_ = 0;
  uint64_t emitted_ = 0;
  bool initial_done_ = false;
};

}  // namespace ledgerflow
