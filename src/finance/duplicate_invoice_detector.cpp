#include "finance/duplicate_invoice_detector.h"

#include <cctype>

namespace ledgerflow::finance {

std::string normalize_invoice_number(std::string_view number) {
  std::string out;
  // Separators are dropped first, so "00-12" is one run of digits "0012" -> "12".
  bool in_run = false;     // inside a run of digits
  bool run_value = false;  // the run has had a non-zero digit
  auto close_run = [&] {
    if (in_run && !run_value) out += '0';  // "INV-000" keeps one zero: "INV0"
    in_run = run_value = false;
  };
  for (char raw : number) {
    if (out.size() >= kMaxNumberLength) break;
    unsigned char c = static_cast<unsigned char>(raw);
    if (std::isdigit(c)) {
      in_run = true;
      if (c == '0' && !run_value) continue;
      run_value = true;
      out += char(c);
    } else if (std::isalpha(c)) {
      close_run();
      out += char(std::toupper(c));
    }
  }
  close_run();
  if (out.size() > kMaxNumberLength) out.resize(kMaxNumberLength);
  return out;
}

bool within_one_edit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // equal, or b has one extra character at the end
  // First difference at i: skip it in b (insertion) or in both (substitution).
  if (a.size() == b.size()) return a.substr(i + 1) == b.substr(i + 1);
  return a.substr(i) == b.substr(i + 1);
}

std::optional<Alert> DuplicateInvoiceDetector::compare(const Invoice& inv,
                                                       const std::string& normalized,
                                                       const Seen& earlier) const {
  const bool same_amount = inv.amount == earlier.amount;
  const bool same_number = !normalized.empty() && normalized == earlier.normalized;
  // Two invoices on different purchase orders bill different deliveries: a standing order
  // repeats its amount and sequential numbers are one edit apart, so that alone is no sign.
  const bool other_order =
      !inv.po_id.empty() && !earlier.po_id.empty() && inv.po_id != earlier.po_id;
  Alert a;
  a.evidence_ids = {inv.id, earlier.id};
  if (same_amount && inv.issue_day == earlier.issue_day) {
    a.rule_id = "duplicate_invoice";
    a.severity = Severity::kCritical;
    a.score = within_one_edit(normalized, earlier.normalized) ? 1.0 : 0.9;
    a.message = "Invoice " + inv.number + " from " + supplier_label(inv) + " duplicates " +
                earlier.number + ": same amount " + format_amount(inv.amount) + " and date " +
                format_day(inv.issue_day) + ".";
    return a;
  }
  if (same_number || (same_amount && !other_order && !normalized.empty() &&
                      within_one_edit(normalized, earlier.normalized))) {
    a.rule_id = "near_duplicate_invoice_number";
    a.severity = Severity::kWarning;
    a.score = same_number ? 0.8 : 0.6;
    a.message = "Invoice " + inv.number + " from " + supplier_label(inv) +
                (same_number ? " has the same number as " : " has nearly the same number as ") +
                earlier.number + " (" + format_amount(earlier.amount) + " on " +
                format_day(earlier.issue_day) + ")" +
                (same_amount ? " and the same amount " + format_amount(inv.amount) + "." : ".");
    return a;
  }
  return std::nullopt;
}

std::vector<Alert> DuplicateInvoiceDetector::observe(const Invoice& invoice) {
  std::deque<Seen>& seen = by_supplier_[invoice.supplier_id];
  for (const Seen& s : seen) {
    if (s.id == invoice.id) return {};
  }
  std::string normalized = normalize_invoice_number(invoice.number);
  std::vector<Alert> alerts;
  for (const Seen& s : seen) {
    if (auto a = compare(invoice, normalized, s)) alerts.push_back(std::move(*a));
  }
  seen.push_back(Seen{invoice.id, invoice.number, std::move(normalized), invoice.po_id,
                      invoice.amount, invoice.issue_day});
  while (seen.size() > params_.max_invoices_per_supplier) seen.pop_front();
  return alerts;
}

size_t DuplicateInvoiceDetector::retained(const std::string& supplier_id) const {
  auto it = by_supplier_.find(supplier_id);
  return it == by_supplier_.end() ? 0 : it->second.size();
}

}  // namespace ledgerflow::finance
