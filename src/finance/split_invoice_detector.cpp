#include "finance/split_invoice_detector.h"

#include <algorithm>

namespace ledgerflow::finance {

std::vector<Alert> SplitInvoiceDetector::observe(const Invoice& invoice) {
  if (invoice.amount >= params_.approval_threshold || invoice.amount <= Money()) return {};
  SupplierState& s = suppliers_[invoice.supplier_id];
  for (auto [it, end] = s.by_day.equal_range(invoice.issue_day); it != end; ++it) {
    if (it->second.id == invoice.id) return {};  // replayed
  }
  std::vector<Alert> alerts;
  const int64_t w = params_.window_days;
  for (int64_t start = invoice.issue_day - w + 1; start <= invoice.issue_day; ++start) {
    std::vector<const Small*> group;
    Money before;
    int64_t first = invoice.issue_day, last = invoice.issue_day;
    for (auto it = s.by_day.lower_bound(start); it != s.by_day.end() && it->first < start + w;
         ++it) {
      group.push_back(&it->second);
      before += it->second.amount;
      first = std::min(first, it->first);
      last = std::max(last, it->first);
    }
    Money total = before + invoice.amount;
    if (group.size() + 1 >= params_.min_invoices && before < params_.approval_threshold &&
        total >= params_.approval_threshold) {
      alerts.push_back(make_alert(invoice, group, total, first, last));
      break;
    }
  }
  s.by_day.emplace(invoice.issue_day, Small{invoice.id, invoice.number, invoice.amount});
  s.latest_day = std::max(s.latest_day, invoice.issue_day);
  trim(s);
  return alerts;
}

void SplitInvoiceDetector::trim(SupplierState& s) const {
  int64_t keep_from = s.latest_day - std::max(params_.retention_days, params_.window_days);
  s.by_day.erase(s.by_day.begin(), s.by_day.lower_bound(keep_from));
  while (s.by_day.size() > params_.max_invoices_per_supplier) s.by_day.erase(s.by_day.begin());
}

Alert SplitInvoiceDetector::make_alert(const Invoice& inv, const std::vector<const Small*>& group,
                                       Money total, int64_t first_day, int64_t last_day) const {
  Alert a;
  a.rule_id = "split_invoice";
  a.severity = Severity::kWarning;
  a.evidence_ids.push_back(inv.id);
  std::string numbers = inv.number;
  for (const Small* g : group) {
    a.evidence_ids.push_back(g->id);
    numbers += ", " + g->number;
  }
  // More pieces and a total closer to the threshold look more like a deliberate split.
  double pieces = std::min(1.0, double(group.size() + 1) / 4.0);
  double closeness = double(params_.approval_threshold.micros()) / double(total.micros());
  a.score = std::clamp(0.5 * pieces + 0.5 * closeness, 0.0, 1.0);
  a.message = std::to_string(group.size() + 1) + " invoices from " + supplier_label(inv) + " (" +
              numbers + ") between " + format_day(first_day) + " and " + format_day(last_day) +
              " are each under the approval threshold of " +
              format_amount(params_.approval_threshold) + " but together come to " +
              format_amount(total) + ".";
  return a;
}

size_t SplitInvoiceDetector::retained(const std::string& supplier_id) const {
  auto it = suppliers_.find(supplier_id);
  return it == suppliers_.end() ? 0 : it->second.by_day.size();
}

}  // namespace ledgerflow::finance
