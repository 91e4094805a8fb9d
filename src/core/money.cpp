#include "core/money.h"

#include <limits>

namespace ledgerflow {

Result<Money> Money::parse(std::string_view text) {
  return parse_impl(text, false);
}

Result<Money> Money::parse_rounded(std::string_view text) {
  return parse_impl(text, true);
}

Result<Money> Money::parse_impl(std::string_view text, bool round_extra_digits) {
  if (text.empty()) return Status::bad_input("invalid_money", "empty amount");
  size_t i = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    i = 1;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t whole = 0;
  size_t whole_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++whole_digits) {
    int d = text[i] - '0';
    if (whole > (kMax / kScale - d) / 10) {
      return Status::bad_input("out_of_range", "amount too large: " + std::string(text));
    }
    whole = whole * 10 + d;
  }
  int64_t frac = 0;
  int frac_digits = 0;
  int dropped = 0;        // fraction digits past the sixth
  bool round_up = false;  // the first dropped digit is 5 or more: round half away from zero
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (frac_digits == kScaleDigits) {
        // Extra zeros are harmless ("2.7500000"); any other digit would be lost unless the
        // caller asked for rounding.
        if (text[i] != '0' && !round_extra_digits) {
          return Status::bad_input("too_many_decimals",
                                   "amount has more than 6 fraction digits: " + std::string(text));
        }
        if (dropped++ == 0) round_up = text[i] >= '5';
        continue;
      }
      frac = frac * 10 + (text[i] - '0');
      ++frac_digits;
    }
    if (frac_digits == 0 && whole_digits == 0) {
      return Status::bad_input("invalid_money", "not a decimal amount: " + std::string(text));
    }
  }
  if (i != text.size() || whole_digits + frac_digits == 0) {
    return Status::bad_input("invalid_money", "not a decimal amount: " + std::string(text));
  }
  for (int k = frac_digits; k < kScaleDigits; ++k) frac *= 10;
  int64_t micros = whole * kScale + frac + (round_up ? 1 : 0);
  return Money(negative ? -micros : micros);
}

std::string Money::to_string(int min_fraction_digits) const {
  // Work in unsigned to print INT64_MIN safely.
  uint64_t mag = micros_ < 0 ? uint64_t(0) - uint64_t(micros_) : uint64_t(micros_);
  uint64_t whole = mag / kScale;
  uint64_t frac = mag % kScale;
  std::string out = micros_ < 0 ? "-" : "";
  out += std::to_string(whole);
  char digits[kScaleDigits + 1];
  for (int k = kScaleDigits - 1; k >= 0; --k) {
    digits[k] = char('0' + frac % 10);
    frac /= 10;
  }
  int keep = kScaleDigits;
  while (keep > min_fraction_digits && digits[keep - 1] == '0') --keep;
  if (keep > 0) {
    out += '.';
    out.append(digits, size_t(keep));
  }
  return out;
}

bool Money::checked_add(Money a, Money b, Money* out) {
  int64_t r;
  if (__builtin_add_overflow(a.micros_, b.micros_, &r)) return false;
  *out = Money(r);
  return true;
}

bool Money::checked_mul(Money a, int64_t factor, Money* out) {
  int64_t r;
  if (__builtin_mul_overflow(a.micros_, factor, &r)) return false;
  *out = Money(r);
  return true;
}

}  // namespace ledgerflow
