#include "finance/payment_checks.h"

#include <string>

namespace ledgerflow::finance {

namespace {

Alert payment_alert(const char* rule, Severity severity, double score, const Payment& p,
                    std::string message) {
  Alert a;
  a.rule_id = rule;
  a.severity = severity;
  a.score = score;
  a.evidence_ids = {p.id, p.invoice_id};
  a.message = "Payment " + p.id + " of " + format_amount(p.amount) + " on " +
              format_day(p.paid_day) + " " + std::move(message);
  return a;
}

void check_bank_account(const Payment& p, const Supplier& s, const PaymentCheckParams& params,
                        std::vector<Alert>& out) {
  const std::string& name = s.name.empty() ? s.id : s.name;
  if (s.bank_account_changed_day) {
    int64_t since = p.paid_day - *s.bank_account_changed_day;
    if (since >= 0 && since <= params.bank_change_days) {
      out.push_back(payment_alert("payment_bank_account_changed", Severity::kCritical, 0.8, p,
                                  "goes to " + name + ", whose bank account was changed on " +
                                      format_day(*s.bank_account_changed_day) + ", " +
                                      std::to_string(since) + " days earlier."));
    }
  }
  if (!p.bank_account_fingerprint.empty() &&
      p.bank_account_fingerprint != s.bank_account_fingerprint) {
    out.push_back(payment_alert("payment_bank_account_mismatch", Severity::kCritical, 0.9, p,
                                "went to a bank account that is not " + name + "'s account."));
  }
}

}  // namespace

std::vector<Alert> check_payment(const Payment& payment, const Invoice* invoice, Money paid_before,
                                 const Supplier* supplier, const PaymentCheckParams& params) {
  std::vector<Alert> alerts;
  if (invoice == nullptr) {
    alerts.push_back(
        payment_alert("payment_without_invoice", Severity::kWarning, 0.5, payment,
                      "is for invoice " + payment.invoice_id + ", which is not on record."));
  } else {
    const std::string ref = "invoice " + invoice->number + " from " + supplier_label(*invoice);
    if (paid_before >= invoice->amount) {
      alerts.push_back(payment_alert("payment_already_paid", Severity::kCritical, 1.0, payment,
                                     "is for " + ref + ", already paid in full (" +
                                         format_amount(paid_before) + " of " +
                                         format_amount(invoice->amount) + ")."));
    } else if (paid_before + payment.amount > invoice->amount) {
      alerts.push_back(payment_alert("payment_exceeds_invoice", Severity::kWarning, 0.7, payment,
                                     "takes the total paid on " + ref + " to " +
                                         format_amount(paid_before + payment.amount) +
                                         ", above its " + format_amount(invoice->amount) + "."));
    }
    if (payment.paid_day < invoice->issue_day) {
      alerts.push_back(payment_alert(
          "payment_before_invoice", Severity::kWarning, 0.6, payment,
          "is dated before " + ref + " was issued on " + format_day(invoice->issue_day) + "."));
    }
  }
  if (supplier != nullptr) check_bank_account(payment, *supplier, params, alerts);
  return alerts;
}

}  // namespace ledgerflow::finance
