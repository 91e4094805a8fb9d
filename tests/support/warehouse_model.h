#pragma once
// An independent model of what the warehouse must hold after loading a set of NDJSON event
// lines: counts, units and money sums, computed from the JSON text with nlohmann-json and the
// price's own decimal text (not through the engine's parser). A line whose identity (type,
// store, prod_id, id) was seen before is a retry and counts once.
#include <cstdint>
#include <set>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/money.h"

namespace ledgerflow::testing {

struct WarehouseModel {
  int64_t sale_lines = 0, units_sold = 0, shipments = 0, units_received = 0;
  Money revenue;
  std::set<std::tuple<std::string, int64_t, int64_t, std::string>> seen;

  void add(const std::string& line) {
    nlohmann::json j = nlohmann::json::parse(line);
    bool sale = j.contains("unit_sold");
    int64_t store = j.value("store_id", int64_t(1));
    if (!seen.insert({sale ? "sale" : "shipment", store, j["prod_id"].get<int64_t>(),
                      j["id"].get<std::string>()})
             .second) {
      return;
    }
    if (sale) {
      int64_t units = j["unit_sold"].get<int64_t>();
      std::string price = line.substr(line.find("\"regular_unit_price\":") + 21);
      price = price.substr(0, price.find_first_of(",}"));
      ++sale_lines;
      units_sold += units;
      revenue += Money::parse(price).value() * units;
    } else {
      ++shipments;
      units_received += j["unit_received"].get<int64_t>();
    }
  }
};

}  // namespace ledgerflow::testing
