#pragma once
// Benford first-digit test per supplier (rule benford_deviation). In many naturally arising
// amounts the first significant digit d appears with probability log10(1 + 1/d) (30.1 % ones,
// 4.6 % nines); invented amounts usually do not.
//
// MAD = (1/9) x sum over d = 1..9 of |observed share of d - log10(1 + 1/d)|, graded with
// Nigrini's first-digit conformity bands: close <= 0.006 < acceptable <= 0.012 < marginal
// <= 0.015 < nonconformity.
//
// Only suppliers with at least min_count amounts >= min_amount are graded (amounts under 10.00
// are left out as Nigrini recommends: they are often fees and rounding). A nonconforming
// supplier is alerted (warning) when its MAD is also above noise_multiple x the MAD that
// sampling noise alone gives a conforming supplier with that many amounts,
// E[MAD] = (1/9) x sum_d sqrt(2 p_d (1 - p_d) / (pi n)). Nigrini's bands assume thousands of
// amounts; at n = 50 a perfectly conforming supplier already shows a MAD near 0.03, so without
// this guard small suppliers would be flagged on noise. noise_multiple = 0 turns it off.
//
// State: nine counters per supplier, so the result does not depend on arrival order. Counting
// is not idempotent: the engine's dedupe must keep replayed invoices out.
//
// Owned by one shard (invoices are routed by supplier); single-threaded.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "finance/finance_types.h"

namespace ledgerflow::finance {

enum class BenfordConformity { kClose, kAcceptable, kMarginal, kNonconformity };
const char* benford_conformity_name(BenfordConformity c);
BenfordConformity benford_conformity(double mad);
double benford_expected_share(int digit);  // log10(1 + 1/digit), digit 1..9
// First significant digit of a positive amount (1..9).
int first_digit(Money amount);
double benford_mad(const std::array<int64_t, 9>& counts);
double benford_noise_mad(int64_t n);

struct BenfordParams {
  int64_t min_count = 50;
  Money min_amount = Money::from_units(10);
  double noise_multiple = 2.0;
};

struct BenfordProfile {
  std::array<int64_t, 9> counts{};  // counts[d - 1]: amounts with first digit d
  int64_t n = 0;
  double mad = 0;
  BenfordConformity conformity = BenfordConformity::kClose;
};

class BenfordDetector {
 public:
  explicit BenfordDetector(BenfordParams params = {}) : params_(params) {}

  void observe(const Invoice& invoice);
  // The figures behind a supplier's chart; nothing when it has no counted amount.
  std::optional<BenfordProfile> profile(const std::string& supplier_id) const;
  // One alert per flagged supplier, in supplier id order.
  std::vector<Alert> evaluate() const;
  // The alert for one supplier, when the rule flags it now (evaluate() is this over all).
  std::optional<Alert> evaluate(const std::string& supplier_id) const;
  const BenfordParams& params() const { return params_; }

 private:
  struct Counts {
    std::string name;
    std::array<int64_t, 9> digits{};
  };
  BenfordParams params_;
  std::map<std::string, Counts> suppliers_;
};

}  // namespace ledgerflow::finance
