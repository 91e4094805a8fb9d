#include "core/order_line.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace ledgerflow {
namespace {

// Thirteen texts of the given total size (spread unevenly, some empty), each of its own letter.
std::vector<std::string> texts_of_size(size_t total) {
  std::vector<std::string> out(kOrderTexts);
  for (size_t i = 0; total > 0; i = (i + 3) % kOrderTexts) {
    const size_t n = std::min<size_t>(total, 1 + i * 7);
    out[i].append(n, char('a' + i));
    total -= n;
  }
  return out;
}

OrderTexts views_of(const std::vector<std::string>& texts) {
  OrderTexts v;
  for (size_t i = 0; i < kOrderTexts; ++i) v[i] = texts[i];
  return v;
}

void expect_texts(const OrderLine& line, const std::vector<std::string>& want) {
  for (size_t i = 0; i < kOrderTexts; ++i) EXPECT_EQ(line.text(OrderText(i)), want[i]) << i;
}

// Texts up to kInlineTextBytes stay inside the line, longer ones go to the heap: both read back
// the same, through copies, reassignments and the old record layout.
TEST(OrderLine, TextsReadBackInsideTheLineAndBeyondIt) {
  const size_t inside = OrderLine::kInlineTextBytes;
  for (size_t total : {size_t(0), size_t(1), inside - 1, inside, inside + 1, size_t(13 * 1024)}) {
    SCOPED_TRACE(total);
    const std::vector<std::string> want = texts_of_size(total);
    auto line = std::make_unique<OrderLine>();
    line->order_item_id = 7;
    line->set_texts(views_of(want));
    expect_texts(*line, want);

    OrderLine copy = *line;
    std::string bytes;
    ByteWriter w(&bytes);
    line->encode(w);
    line.reset();  // the copy holds its own texts
    expect_texts(copy, want);

    OrderLine decoded;
    ByteReader r(bytes);
    ASSERT_TRUE(decoded.decode(r));
    expect_texts(decoded, want);
    EXPECT_EQ(decoded.order_item_id, 7);

    // Set again with texts on the other side of the limit: nothing of the old ones is left.
    const std::vector<std::string> other = texts_of_size(total > inside ? 10 : inside + 50);
    decoded.set_texts(views_of(other));
    expect_texts(decoded, other);
    copy = decoded;
    expect_texts(copy, other);
  }
}

}  // namespace
}  // namespace ledgerflow
