#include "core/order_line_pool.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace ledgerflow {
namespace {

// Two shared_ptrs with one owner (one control block).
bool same_owner(const std::shared_ptr<OrderLine>& a, const std::shared_ptr<OrderLine>& b) {
  return !a.owner_before(b) && !b.owner_before(a);
}

TEST(OrderLinePool, LinesAreFreshDistinctAndShareTheirBlock) {
  OrderLinePool pool;
  const size_t n = OrderLinePool::kLinesPerBlock;
  std::vector<std::shared_ptr<OrderLine>> lines;
  std::set<const OrderLine*> seen;
  for (size_t i = 0; i < 2 * n + 1; ++i) {
    lines.push_back(pool.make());
    OrderLine& l = *lines.back();
    EXPECT_TRUE(seen.insert(&l).second) << "line " << i << " handed out twice";
    // As OrderLine{} makes it.
    EXPECT_EQ(l.order_item_id, 0);
    EXPECT_EQ(l.sales.micros(), 0);
    EXPECT_FALSE(l.late_delivery_risk);
    for (size_t t = 0; t < kOrderTexts; ++t) EXPECT_TRUE(l.text(OrderText(t)).empty());
    l.order_item_id = int64_t(i) + 1;
    l.set_texts(OrderTexts{std::string_view("DEBIT")});
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i]->order_item_id, int64_t(i) + 1);
    EXPECT_EQ(lines[i]->payment_type(), "DEBIT");
    EXPECT_EQ(same_owner(lines[i], lines[0]), i < n) << i;
    EXPECT_EQ(same_owner(lines[i], lines[n]), i >= n && i < 2 * n) << i;
  }
}

// A block lives as long as any line of it, wherever the others and the pool went.
TEST(OrderLinePool, ABlockGoesWithItsLastLine) {
  const size_t n = OrderLinePool::kLinesPerBlock;
  std::weak_ptr<OrderLine> first;
  std::shared_ptr<OrderLine> kept;
  {
    OrderLinePool pool;
    std::vector<std::shared_ptr<OrderLine>> lines;
    for (size_t i = 0; i < n + 1; ++i) lines.push_back(pool.make());
    first = lines[0];
    kept = lines[n - 1];
    kept->order_item_id = 7;
    lines.clear();
    EXPECT_FALSE(first.expired()) << "a line of the block is still held";
  }
  EXPECT_FALSE(first.expired());
  EXPECT_EQ(kept->order_item_id, 7);
  kept.reset();
  EXPECT_TRUE(first.expired()) << "the block outlived its last line";
}

}  // namespace
}  // namespace ledgerflow
