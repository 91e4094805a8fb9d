#include "finance/payment_terms.h"

#include <cctype>
#include <string>

#include "core/event_time.h"

namespace ledgerflow::finance {

namespace {

// A cursor over lower-cased text that skips blanks between tokens.
class TermsLexer {
 public:
  explicit TermsLexer(std::string text) : text_(std::move(text)) {}

  bool at_end() {
    skip_blanks();
    return pos_ == text_.size();
  }
  bool accept(std::string_view word) {
    skip_blanks();
    if (text_.compare(pos_, word.size(), word) != 0) return false;
    pos_ += word.size();
    return true;
  }
  bool at_digit() {
    skip_blanks();
    return pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]));
  }
  // An integer of at most 6 digits (larger values are refused by the caller's range checks).
  bool integer(int64_t* out) {
    if (!at_digit()) return false;
    int64_t v = 0;
    int digits = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      if (++digits > 6) return false;
      v = v * 10 + (text_[pos_++] - '0');
    }
    *out = v;
    return true;
  }
  // A decimal percent with at most 4 fraction digits, as parts per million of 1.
  bool percent_ppm(int64_t* out) {
    int64_t whole = 0;
    if (!integer(&whole) || whole > 100) return false;
    int64_t frac = 0;
    int frac_digits = 0;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        if (++frac_digits > 4) return false;
        frac = frac * 10 + (text_[pos_++] - '0');
      }
      if (frac_digits == 0) return false;
    }
    for (int k = frac_digits; k < 4; ++k) frac *= 10;
    *out = whole * 10'000 + frac;  // 1 % = 10'000 ppm
    return true;
  }

 private:
  void skip_blanks() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  std::string text_;
  size_t pos_ = 0;
};

Status invalid(std::string_view text, const char* why) {
  return Status::bad_input("invalid_terms", std::string(why) + ": \"" + std::string(text) + "\"");
}

// "net N" / "netN" / "n/N" / "n N".
bool parse_net_clause(TermsLexer& lex, int64_t* net_days) {
  if (!lex.accept("net") && !lex.accept("n/") && !lex.accept("n")) return false;
  return lex.integer(net_days);
}

}  // namespace

Result<PaymentTerms> PaymentTerms::parse(std::string_view text) {
  if (text.size() > kMaxTextLength)
    return invalid(text.substr(0, kMaxTextLength), "terms too long");
  std::string lower(text);
  for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  TermsLexer lex(lower);
  int64_t ppm = 0;
  int64_t discount_days = 0;
  if (lex.at_digit()) {
    if (!lex.percent_ppm(&ppm)) return invalid(text, "bad discount percent");
    lex.accept("%");
    if (!lex.accept("/") || !lex.integer(&discount_days)) {
      return invalid(text, "expected discount days after '/'");
    }
    lex.accept(",");
    if (ppm <= 0 || ppm >= kRateScale / 2) return invalid(text, "discount must be in (0, 50) %");
  }
  int64_t net_days = 0;
  if (!parse_net_clause(lex, &net_days)) return invalid(text, "expected 'net <days>'");
  if (!lex.at_end()) return invalid(text, "unexpected text after the net days");
  if (net_days <= 0 || net_days > kMaxDays) return invalid(text, "net days out of range");
  if (ppm > 0 && discount_days >= net_days) {
    return invalid(text, "discount days must be fewer than net days");
  }
  PaymentTerms t;
  t.discount_ppm = ppm;
  t.discount_days = int32_t(discount_days);
  t.net_days = int32_t(net_days);
  return t;
}

int64_t day_of_ms(int64_t ms) {
  return floor_div(ms, kMsPerDay);
}

}  // namespace ledgerflow::finance
