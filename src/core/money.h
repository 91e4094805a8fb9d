#pragma once
// Fixed-point decimal money: a signed 64-bit count of micro-units (10^-6 of the currency unit).
// Range is about +-9.2 trillion units, enough for any single figure we aggregate; additions are
// overflow-checked. Binary floating point never touches money.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ledgerflow {

class Money {
 public:
  static constexpr int kScaleDigits = 6;
  static constexpr int64_t kScale = 1'000'000;

  constexpr Money() = default;
  static constexpr Money from_micros(int64_t micros) { return Money(micros); }
  static constexpr Money from_units(int64_t units) { return Money(units * kScale); }

  // Parses a plain decimal ("12", "-0.5", "2.75", "1e2" is refused). At most 6 fraction digits;
  // more are refused rather than rounded, so no input is silently changed.
  static Result<Money> parse(std::string_view text);
  // Like parse(), but digits past the sixth fraction digit are rounded half away from zero
  // (for sources whose amounts went through binary floating point, e.g. DataCo's
  // "314.6400146"); the rounding rule is part of their documented format.
  static Result<Money> parse_rounded(std::string_view text);

  constexpr int64_t micros() const { return micros_; }

  // "2.75" style: at least `min_fraction_digits` fraction digits, trailing zeros beyond trimmed.
  std::string to_string(int min_fraction_digits = 2) const;

  // Checked arithmetic: returns false on overflow and leaves *out unchanged.
  static bool checked_add(Money a, Money b, Money* out);
  static bool checked_mul(Money a, int64_t factor, Money* out);

  constexpr Money operator+(Money o) const { return Money(micros_ + o.micros_); }
  constexpr Money operator-(Money o) const { return Money(micros_ - o.micros_); }
  Money& operator+=(Money o) {
    micros_ += o.micros_;
    return *this;
  }
  Money& operator-=(Money o) {
    micros_ -= o.micros_;
    return *this;
  }
  constexpr Money operator*(int64_t f) const { return Money(micros_ * f); }
  constexpr auto operator<=>(const Money&) const = default;

 private:
  static Result<Money> parse_impl(std::string_view text, bool round_extra_digits);
  constexpr explicit Money(int64_t m) : micros_(m) {}
  int64_t micros_ = 0;
};

}  // namespace ledgerflow
