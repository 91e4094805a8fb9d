#pragma once
// Round-amount invoices per supplier (rule round_amount_invoices, warning): too many invoices
// whose amount is an exact multiple of round_unit (100.00 by default; 1,000.00 is the other
// usual choice). Invented bills tend to be round; real ones carry prices, quantities and tax.
//
// A supplier is flagged when it has at least min_count invoices, its share of round amounts is
// above expected_share, and the excess is not chance: the binomial z-score
// (r - n p) / sqrt(n p (1 - p)) of r round invoices out of n at the expected share p is at least
// min_z. Score: how far the share is from p towards 1.
//
// State: two counters per supplier, so the result does not depend on arrival order. Counting is
// not idempotent: the engine's dedupe must keep replayed invoices out.
//
// Owned by one shard (invoices are routed by supplier); single-threaded.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "finance/finance_types.h"

namespace ledgerflow::finance {

struct RoundAmountParams {
  Money round_unit = Money::from_units(100);
  double expected_share = 0.05;
  double min_z = 3.0;
  int64_t min_count = 20;
};

class RoundAmountDetector {
 public:
  explicit RoundAmountDetector(RoundAmountParams params = {}) : params_(params) {}

  void observe(const Invoice& invoice);
  // One alert per flagged supplier, in supplier id order.
  std::vector<Alert> evaluate() const;
  // The alert for one supplier, when the rule flags it now (evaluate() is this over all).
  std::optional<Alert> evaluate(const std::string& supplier_id) const;
  const RoundAmountParams& params() const { return params_; }

 private:
  struct Counts {
    std::string name;
    int64_t invoices = 0;
    int64_t round = 0;
  };
  RoundAmountParams params_;
  std::map<std::string, Counts> suppliers_;
};

}  // namespace ledgerflow::finance
