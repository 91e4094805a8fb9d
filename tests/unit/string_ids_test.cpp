// StringIds against a std::map model: a name of up to 16 bytes is keyed by its length and two
// overlapping loads, so names that differ in any one byte, or only in length, must still get
// ids of their own, in first-seen order.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "analytics/string_ids.h"

using namespace ledgerflow;

namespace {

// First-seen ids, the way StringIds promises them.
class ModelIds {
 public:
  uint32_t id(const std::string& name) {
    return ids_.emplace(name, uint32_t(ids_.size())).first->second;
  }
  size_t size() const { return ids_.size(); }

 private:
  std::map<std::string, uint32_t> ids_;
};

// Every length from 0 to 40 (both sides of the 4-, 8- and 16-byte key forms), each as a base
// name and as that name with one byte changed at every position in turn, plus the same bytes
// with a zero byte appended (equal loads, other length).
std::vector<std::string> one_byte_apart() {
  std::vector<std::string> names;
  for (size_t len = 0; len <= 40; ++len) {
    std::string base(len, 'a');
    for (size_t i = 0; i < len; ++i) base[i] = char('a' + i % 26);
    names.push_back(base);
    names.push_back(base + '\0');
    for (size_t at = 0; at < len; ++at) {
      std::string n = base;
      n[at] = char(n[at] ^ 0x80);
      names.push_back(n);
    }
  }
  return names;
}

void expect_like_model(StringIds& ids, ModelIds& model, const std::vector<std::string>& names,
                       std::mt19937& rng, int lookups) {
  for (int k = 0; k < lookups; ++k) {
    const std::string& n = names[rng() % names.size()];
    const uint32_t want = model.id(n);
    ASSERT_EQ(ids.id(n), want) << k;
    ASSERT_EQ(ids.name(want), n);
  }
  EXPECT_EQ(ids.size(), model.size());
}

}  // namespace

TEST(StringIds, NamesOneByteApartGetIdsOfTheirOwnInFirstSeenOrder) {
  const std::vector<std::string> names = one_byte_apart();
  StringIds ids;
  ModelIds model;
  std::mt19937 rng(11);
  expect_like_model(ids, model, names, rng, 60'000);
  // Every name was seen (the table grew through several sizes): each keeps its id.
  EXPECT_EQ(ids.size(), names.size());
  for (const std::string& n : names) EXPECT_EQ(ids.id(n), model.id(n)) << n;
}

// Real dimension values come in runs and interleave (a line's department, then another's); a
// long tail of rare values makes the table grow while common ones are looked up between.
TEST(StringIds, InterleavedDimensionValuesMatchTheModelPastGrowth) {
  std::vector<std::string> names = {"Fitness",
                                    "Apparel",
                                    "Golf",
                                    "Footwear",
                                    "Outdoors",
                                    "Fan Shop",
                                    "Technology",
                                    "Book Shop",
                                    "Discs Shop",
                                    "Pet Shop",
                                    "Health and Beauty ",
                                    "Indoor/Outdoor Games",
                                    "Shipping canceled",
                                    "Shipping on time",
                                    ""};
  for (int i = 0; i < 3000; ++i) names.push_back("Category " + std::to_string(i * 7919));
  StringIds ids;
  ModelIds model;
  std::mt19937 rng(5);
  for (int k = 0; k < 200'000; ++k) {
    // Mostly the first few names, sometimes any: both hot probes and inserts during growth.
    const size_t pick = rng() % 8 != 0 ? rng() % 15 : rng() % names.size();
    const std::string& n = names[pick];
    ASSERT_EQ(ids.id(n), model.id(n)) << n;
  }
  EXPECT_EQ(ids.size(), model.size());
}

// A copy answers like the original, and a moved-from table starts again from empty.
TEST(StringIds, CopiesAndMovedFromTablesStayConsistent) {
  StringIds ids;
  for (const char* n : {"COMPLETE", "CLOSED", "PENDING_PAYMENT"}) ids.id(n);
  StringIds copy = ids;
  EXPECT_EQ(copy.id("CLOSED"), 1u);
  EXPECT_EQ(copy.id("ON_HOLD"), 3u);
  EXPECT_EQ(ids.size(), 3u);  // the original did not see ON_HOLD
  StringIds moved = std::move(ids);
  EXPECT_EQ(moved.id("PENDING_PAYMENT"), 2u);
  // NOLINTNEXTLINE(bugprone-use-after-move): a vector moved from is empty, so is the table
  EXPECT_EQ(ids.id("PENDING_PAYMENT"), 0u);
  EXPECT_EQ(ids.name(0), "PENDING_PAYMENT");
}
