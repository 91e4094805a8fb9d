#include "core/short_bytes.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace ledgerflow {
namespace {

// Every size a DataCo value takes and past the 32-byte step to memcpy, against std::string.
TEST(ShortBytes, CopyWritesExactlyTheRangeAtEverySize) {
  std::mt19937 rng(11);
  for (size_t n = 0; n <= 80; ++n) {
    std::string in(n, '\0');
    for (char& c : in) c = char('a' + rng() % 26);
    std::string out(n + 16, '#');
    short_bytes::copy(out.data() + 8, in.data(), n);
    EXPECT_EQ(out, std::string(8, '#') + in + std::string(8, '#')) << n;
  }
}

TEST(ShortBytes, EqualUpTo24FindsADifferenceAtEveryPosition) {
  for (size_t n = 0; n <= 24; ++n) {
    const std::string a = std::string("11/30/2017 23:59:58.123456").substr(0, n);
    EXPECT_TRUE(short_bytes::equal_upto24(a.data(), std::string(a).data(), n)) << n;
    for (size_t i = 0; i < n; ++i) {
      std::string b = a;
      b[i] ^= 1;
      EXPECT_FALSE(short_bytes::equal_upto24(a.data(), b.data(), n)) << n << " at " << i;
    }
  }
}

}  // namespace
}  // namespace ledgerflow
