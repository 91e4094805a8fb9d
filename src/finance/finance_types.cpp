#include "finance/finance_types.h"

#include <type_traits>

#include "core/event_time.h"

namespace ledgerflow::finance {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kCritical:
      return "critical";
  }
  return "unknown";
}

std::string format_amount(Money m) {
  std::string plain = m.to_string(2);
  size_t start = plain[0] == '-' ? 1 : 0;
  size_t dot = plain.find('.');
  size_t whole_end = dot == std::string::npos ? plain.size() : dot;
  std::string out = plain.substr(0, start);
  for (size_t i = start; i < whole_end; ++i) {
    size_t left = whole_end - i;
    if (i > start && left % 3 == 0) out += ',';
    out += plain[i];
  }
  out += plain.substr(whole_end);
  return out;
}

std::string format_day(int64_t day) {
  return format_event_time(day * kMsPerDay).substr(0, 10);
}

Supplier apply_supplier_record(const Supplier* known, const Supplier& update, int64_t ingest_day) {
  Supplier out = update;
  if (known == nullptr) {
    out.bank_account_changed_day.reset();
  } else if (known->bank_account_fingerprint != update.bank_account_fingerprint) {
    out.bank_account_changed_day = update.changed_day.value_or(ingest_day);
  } else {
    out.bank_account_changed_day = known->bank_account_changed_day;
  }
  return out;
}

const std::string& supplier_label(const Invoice& inv) {
  return inv.supplier_name.empty() ? inv.supplier_id : inv.supplier_name;
}

}  // namespace ledgerflow::finance

namespace ledgerflow {

namespace {

// Indexed by FinanceEventType (and so by the FinanceEvent variant index).
constexpr const char* kTypeNames[] = {"supplier",         "purchase_order",  "goods_receipt",
                                      "invoice",          "payment",         "customer_order",
                                      "customer_invoice", "customer_payment"};

}  // namespace

const char* finance_event_type_name(FinanceEventType t) {
  return kTypeNames[size_t(t)];
}

bool finance_event_type_from_name(std::string_view name, FinanceEventType* out) {
  for (size_t i = 0; i < std::size(kTypeNames); ++i) {
    if (name == kTypeNames[i]) {
      *out = FinanceEventType(i);
      return true;
    }
  }
  return false;
}

FinanceEventType finance_event_type(const FinanceEvent& e) {
  return FinanceEventType(e.index());
}

std::optional<int64_t> finance_business_day(const FinanceEvent& event) {
  return std::visit(
      [](const auto& e) -> std::optional<int64_t> {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, finance::Supplier>) return e.changed_day;
        if constexpr (std::is_same_v<T, finance::PurchaseOrder>) return e.order_day;
        if constexpr (std::is_same_v<T, finance::GoodsReceipt>) return e.received_day;
        if constexpr (std::is_same_v<T, finance::Invoice> ||
                      std::is_same_v<T, finance::CustomerInvoice>) {
          return e.issue_day;
        }
        if constexpr (std::is_same_v<T, finance::Payment> ||
                      std::is_same_v<T, finance::CustomerPayment>) {
          return e.paid_day;
        }
        if constexpr (std::is_same_v<T, finance::CustomerOrder>) {
          return floor_div(e.time_ms, kMsPerDay);
        }
      },
      event);
}

}  // namespace ledgerflow
