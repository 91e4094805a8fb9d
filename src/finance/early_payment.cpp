#include "finance/early_payment.h"

#include <algorithm>
#include <cmath>

namespace ledgerflow::finance {

namespace {
__extension__ using Int128 = __int128;
}

Money discount_amount(Money amount, int64_t discount_ppm) {
  Int128 product = Int128(amount.micros()) * discount_ppm;
  Int128 scale = PaymentTerms::kRateScale;
  Int128 magnitude = product < 0 ? -product : product;
  Int128 rounded = (magnitude + scale / 2) / scale;  // half away from zero
  return Money::from_micros(int64_t(product < 0 ? -rounded : rounded));
}

double simple_annual_return(const PaymentTerms& terms) {
  if (!terms.has_discount()) return 0;
  double d = terms.discount_rate();
  return d / (1 - d) * kDaysPerYear / double(terms.net_days - terms.discount_days);
}

double compound_annual_return(const PaymentTerms& terms) {
  if (!terms.has_discount()) return 0;
  double d = terms.discount_rate();
  double periods = double(kDaysPerYear) / double(terms.net_days - terms.discount_days);
  // expm1/log1p keep precision for small discounts.
  return std::expm1(periods * std::log1p(d / (1 - d)));
}

std::optional<EarlyPaymentOpportunity> evaluate_early_payment(const OpenInvoice& invoice,
                                                              int64_t as_of_day) {
  const PaymentTerms& t = invoice.terms;
  if (!t.discount_open(invoice.issue_day, as_of_day) || invoice.amount <= Money()) {
    return std::nullopt;
  }
  EarlyPaymentOpportunity o;
  o.invoice_id = invoice.invoice_id;
  o.supplier_id = invoice.supplier_id;
  o.amount = invoice.amount;
  o.discount = discount_amount(invoice.amount, t.discount_ppm);
  o.pay_now = invoice.amount - o.discount;
  o.discount_deadline_day = t.discount_deadline_day(invoice.issue_day);
  o.due_day = t.due_day(invoice.issue_day);
  o.days_gained = t.net_days - t.discount_days;
  o.discount_ppm = t.discount_ppm;
  o.simple_annual_return = simple_annual_return(t);
  o.compound_annual_return = compound_annual_return(t);
  return o;
}

std::vector<EarlyPaymentOpportunity> rank_early_payments(const std::vector<OpenInvoice>& invoices,
                                                         int64_t as_of_day) {
  std::vector<EarlyPaymentOpportunity> out;
  for (const OpenInvoice& inv : invoices) {
    if (auto o = evaluate_early_payment(inv, as_of_day)) out.push_back(std::move(*o));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.simple_annual_return != b.simple_annual_return) {
      return a.simple_annual_return > b.simple_annual_return;
    }
    if (a.discount != b.discount) return a.discount > b.discount;
    return a.invoice_id < b.invoice_id;
  });
  return out;
}

}  // namespace ledgerflow::finance
