#include <gtest/gtest.h>

#include "core/money.h"

using ledgerflow::Money;

TEST(Money, ParsesPlainDecimals) {
  EXPECT_EQ(Money::parse("2.75").value().micros(), 2'750'000);
  EXPECT_EQ(Money::parse("0").value().micros(), 0);
  EXPECT_EQ(Money::parse("-0.5").value().micros(), -500'000);
  EXPECT_EQ(Money::parse("+12").value().micros(), 12'000'000);
  EXPECT_EQ(Money::parse(".25").value().micros(), 250'000);
  EXPECT_EQ(Money::parse("3.").value().micros(), 3'000'000);
  EXPECT_EQ(Money::parse("0.000001").value().micros(), 1);
  EXPECT_EQ(Money::parse("2.7500000000").value().micros(), 2'750'000);  // extra zeros are exact
}

TEST(Money, RefusesWhatItCannotRepresentExactly) {
  EXPECT_EQ(Money::parse("0.0000001").status().code(), "too_many_decimals");
  EXPECT_EQ(Money::parse("1e2").status().code(), "invalid_money");
  EXPECT_EQ(Money::parse("").status().code(), "invalid_money");
  EXPECT_EQ(Money::parse(".").status().code(), "invalid_money");
  EXPECT_EQ(Money::parse("-").status().code(), "invalid_money");
  EXPECT_EQ(Money::parse("1,5").status().code(), "invalid_money");
  EXPECT_EQ(Money::parse("NaN").status().code(), "invalid_money");
  EXPECT_EQ(Money::parse("99999999999999999999").status().code(), "out_of_range");
}

TEST(Money, FormatsExactly) {
  EXPECT_EQ(Money::from_micros(2'750'000).to_string(), "2.75");
  EXPECT_EQ(Money::from_micros(2'000'000).to_string(), "2.00");
  EXPECT_EQ(Money::from_micros(1).to_string(), "0.000001");
  EXPECT_EQ(Money::from_micros(-1'230'000).to_string(), "-1.23");
  EXPECT_EQ(Money::from_micros(5).to_string(0), "0.000005");
  EXPECT_EQ(Money::from_units(7).to_string(0), "7");
  EXPECT_EQ(Money::from_micros(INT64_MIN).to_string(), "-9223372036854.775808");
}

TEST(Money, SumsOfCentsStayExact) {
  // 0.1 + 0.2 is the classic binary floating point trap.
  Money a = Money::parse("0.1").value(), b = Money::parse("0.2").value();
  EXPECT_EQ((a + b).to_string(), "0.30");
  Money total;
  for (int i = 0; i < 1000; ++i) total += Money::parse("2.75").value();
  EXPECT_EQ(total.to_string(), "2750.00");
}

TEST(Money, CheckedArithmeticDetectsOverflow) {
  Money out;
  EXPECT_FALSE(Money::checked_add(Money::from_micros(INT64_MAX), Money::from_micros(1), &out));
  EXPECT_FALSE(Money::checked_mul(Money::from_micros(INT64_MAX / 2), 3, &out));
  ASSERT_TRUE(Money::checked_mul(Money::parse("2.75").value(), 4, &out));
  EXPECT_EQ(out.to_string(), "11.00");
}

TEST(Money, RoundTripsThroughText) {
  for (int64_t m : {0LL, 1LL, 10LL, 999'999LL, 1'000'000LL, 123'456'789LL, -42LL}) {
    Money x = Money::from_micros(m);
    EXPECT_EQ(Money::parse(x.to_string()).value(), x) << m;
  }
}
