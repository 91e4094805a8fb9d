#include "finance/benford_detector.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "core/assert.h"

namespace ledgerflow::finance {

const char* benford_conformity_name(BenfordConformity c) {
  switch (c) {
    case BenfordConformity::kClose:
      return "close conformity";
    case BenfordConformity::kAcceptable:
      return "acceptable conformity";
    case BenfordConformity::kMarginal:
      return "marginal conformity";
    case BenfordConformity::kNonconformity:
      return "nonconformity";
  }
  return "unknown";
}

BenfordConformity benford_conformity(double mad) {
  if (mad <= 0.006) return BenfordConformity::kClose;
  if (mad <= 0.012) return BenfordConformity::kAcceptable;
  if (mad <= 0.015) return BenfordConformity::kMarginal;
  return BenfordConformity::kNonconformity;
}

double benford_expected_share(int digit) {
  LF_ASSERT(digit >= 1 && digit <= 9);
  return std::log10(1.0 + 1.0 / digit);
}

int first_digit(Money amount) {
  LF_ASSERT(amount.micros() > 0);
  // The leading digit of the micro-unit count is the amount's leading significant digit.
  int64_t m = amount.micros();
  while (m >= 10) m /= 10;
  return int(m);
}

double benford_mad(const std::array<int64_t, 9>& counts) {
  int64_t n = 0;
  for (int64_t c : counts) n += c;
  if (n == 0) return 0;
  double sum = 0;
  for (int d = 1; d <= 9; ++d) {
    sum += std::abs(double(counts[size_t(d - 1)]) / double(n) - benford_expected_share(d));
  }
  return sum / 9;
}

double benford_noise_mad(int64_t n) {
  if (n <= 0) return 0;
  double sum = 0;
  for (int d = 1; d <= 9; ++d) {
    double p = benford_expected_share(d);
    sum += std::sqrt(2 * p * (1 - p) / (std::numbers::pi * double(n)));
  }
  return sum / 9;
}

void BenfordDetector::observe(const Invoice& invoice) {
  if (invoice.amount < params_.min_amount || invoice.amount <= Money()) return;
  Counts& c = suppliers_[invoice.supplier_id];
  c.name = supplier_label(invoice);
  ++c.digits[size_t(first_digit(invoice.amount) - 1)];
}

std::optional<BenfordProfile> BenfordDetector::profile(const std::string& supplier_id) const {
  auto it = suppliers_.find(supplier_id);
  if (it == suppliers_.end()) return std::nullopt;
  BenfordProfile p;
  p.counts = it->second.digits;
  for (int64_t c : p.counts) p.n += c;
  p.mad = benford_mad(p.counts);
  p.conformity = benford_conformity(p.mad);
  return p;
}

std::vector<Alert> BenfordDetector::evaluate() const {
  std::vector<Alert> alerts;
  for (const auto& entry : suppliers_) {
    if (std::optional<Alert> a = evaluate(entry.first)) alerts.push_back(std::move(*a));
  }
  return alerts;
}

std::optional<Alert> BenfordDetector::evaluate(const std::string& supplier_id) const {
  auto it = suppliers_.find(supplier_id);
  if (it == suppliers_.end()) return std::nullopt;
  const std::string& id = it->first;
  const Counts& c = it->second;
  BenfordProfile p = *profile(id);
  if (p.n < params_.min_count || p.conformity != BenfordConformity::kNonconformity) {
    return std::nullopt;
  }
  double noise = params_.noise_multiple * benford_noise_mad(p.n);
  if (p.mad <= noise) return std::nullopt;
  // The digit furthest above its expected share, for the sentence.
  int worst = 1;
  double worst_excess = -1;
  for (int d = 1; d <= 9; ++d) {
    double excess = double(p.counts[size_t(d - 1)]) / double(p.n) - benford_expected_share(d);
    if (excess > worst_excess) {
      worst_excess = excess;
      worst = d;
    }
  }
  char line[200];
  std::snprintf(line, sizeof line,
                "first-digit MAD %.4f over %lld invoices (nonconformity above 0.015); digit "
                "%d starts %.1f %% of amounts against %.1f %% expected.",
                p.mad, static_cast<long long>(p.n), worst,
                100.0 * double(p.counts[size_t(worst - 1)]) / double(p.n),
                100.0 * benford_expected_share(worst));
  Alert a;
  a.rule_id = "benford_deviation";
  a.severity = Severity::kWarning;
  a.score = std::min(1.0, p.mad / 0.03);  // 0.5 at the nonconformity band, 1 at twice it
  a.evidence_ids = {id};
  a.message = "Invoice amounts from " + c.name + " do not follow Benford's law: " + line;
  return a;
}

}  // namespace ledgerflow::finance
