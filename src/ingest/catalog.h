#pragma once
// Product catalog: CSV "id,item_name,price,cost_price,reorder_point,description".
// Immutable after loading; shared read-only by all threads.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/money.h"
#include "core/status.h"

namespace ledgerflow {

struct Product {
  int64_t id = 0;
  std::string name;
  Money price;
  Money cost_price;
  int64_t reorder_point = 0;
  std::string description;
};

class Catalog {
 public:
  static Result<Catalog> parse_csv(std::string_view csv);
  static Result<Catalog> load_file(const std::string& path);
  // The built-in convenience-store catalog.
  static const Catalog& builtin();

  const Product* find(int64_t id) const {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &products_[it->second];
  }
  const std::vector<Product>& products() const { return products_; }

 private:
  std::vector<Product> products_;
  std::unordered_map<int64_t, size_t> index_;
};

}  // namespace ledgerflow
