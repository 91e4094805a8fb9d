#pragma once
// Every inventory row of the engine, read at most once per gold upsert and only when a builder
// asks: the read copies each row with its demand history under the shard locks, and the reorder
// and working-capital builders both need it when inventory changed.
//
// Owned by GoldSnapshot::build for one upsert (the WarehouseWriter thread).
#include <optional>
#include <vector>

#include "engine/engine.h"

namespace ledgerflow::sinks {

class LazyInventory {
 public:
  explicit LazyInventory(const Engine* engine) : engine_(engine) {}

  const std::vector<InventoryRow>& rows() {
    if (!rows_) rows_ = engine_->inventory(std::nullopt, false);
    return *rows_;
  }

 private:
  const Engine* engine_;
  std::optional<std::vector<InventoryRow>> rows_;
};

}  // namespace ledgerflow::sinks
