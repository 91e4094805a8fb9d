#pragma once
// Supplier payment terms such as "2/10 net 30": a 2 % discount if paid within 10 days of the
// invoice date, otherwise the full amount is due 30 days after it. Parsed once per invoice into
// exact integers; the discount rate is kept in parts per million (2 % = 20'000 ppm) so that a
// discount amount in Money never goes through binary floating point.
//
// A value type: no owner, no thread.
#include <cstdint>
#include <string_view>

#include "core/status.h"

namespace ledgerflow::finance {

struct PaymentTerms {
  static constexpr int64_t kRateScale = 1'000'000;  // discount_ppm / kRateScale = rate
  static constexpr size_t kMaxTextLength = 64;
  static constexpr int32_t kMaxDays = 3650;

  int64_t discount_ppm = 0;  // 0 when the terms carry no early-payment discount
  int32_t discount_days = 0;
  int32_t net_days = 0;

  bool has_discount() const { return discount_ppm > 0; }
  double discount_rate() const { return double(discount_ppm) / double(kRateScale); }

  // Accepted, case-insensitive, spaces anywhere between the parts:
  //   "net 30", "NET30", "n/30", "2/10 net 30", "1.5/15 net 45", "2/10 n/30", "2%/10, net 30".
  // The discount percent has at most 4 fraction digits and lies in (0, 50) (a
  // larger "discount" is a typing error, and keeping it below half lets the optimizer's sums
  // stay inside int64); days are
  // integers with 0 <= discount days < net days <= kMaxDays. Anything else is bad input
  // (code "invalid_terms"), as is text longer than kMaxTextLength.
  static Result<PaymentTerms> parse(std::string_view text);

  // Deadlines from the invoice's issue day (days since 1970-01-01): the discount can be taken
  // on any day up to and including discount_deadline_day; the invoice is due on due_day.
  int64_t due_day(int64_t issue_day) const { return issue_day + net_days; }
  int64_t discount_deadline_day(int64_t issue_day) const { return issue_day + discount_days; }
  bool discount_open(int64_t issue_day, int64_t as_of_day) const {
    return has_discount() && as_of_day <= discount_deadline_day(issue_day);
  }
};

// The UTC day (days since 1970-01-01) an event time in ms falls on; negative times round down.
int64_t day_of_ms(int64_t ms);

}  // namespace ledgerflow::finance
