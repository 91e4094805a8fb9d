#include "finance/round_amount_detector.h"

#include <algorithm>
#include <cmath>

namespace ledgerflow::finance {

void RoundAmountDetector::observe(const Invoice& invoice) {
  if (invoice.amount <= Money() || params_.round_unit <= Money()) return;
  Counts& c = suppliers_[invoice.supplier_id];
  c.name = supplier_label(invoice);
  ++c.invoices;
  if (invoice.amount.micros() % params_.round_unit.micros() == 0) ++c.round;
}

std::vector<Alert> RoundAmountDetector::evaluate() const {
  std::vector<Alert> alerts;
  for (const auto& entry : suppliers_) {
    if (std::optional<Alert> a = evaluate(entry.first)) alerts.push_back(std::move(*a));
  }
  return alerts;
}

std::optional<Alert> RoundAmountDetector::evaluate(const std::string& supplier_id) const {
  auto it = suppliers_.find(supplier_id);
  if (it == suppliers_.end()) return std::nullopt;
  const Counts& c = it->second;
  if (c.invoices < params_.min_count) return std::nullopt;
  const double p = params_.expected_share;
  double n = double(c.invoices);
  double share = double(c.round) / n;
  double z = (double(c.round) - n * p) / std::sqrt(n * p * (1 - p));
  if (share <= p || z < params_.min_z) return std::nullopt;
  Alert a;
  a.rule_id = "round_amount_invoices";
  a.severity = Severity::kWarning;
  a.score = std::min(1.0, (share - p) / (1 - p));
  a.evidence_ids = {supplier_id};
  a.message = std::to_string(c.round) + " of " + std::to_string(c.invoices) + " invoices from " +
              c.name + " (" + std::to_string(int(std::lround(share * 100))) +
              " %) are exact multiples of " + format_amount(params_.round_unit) +
              ", against about " + std::to_string(int(std::lround(p * 100))) + " % expected.";
  return a;
}

}  // namespace ledgerflow::finance
