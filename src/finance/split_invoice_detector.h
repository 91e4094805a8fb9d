#pragma once
// Split invoices: several invoices of one supplier whose issue dates lie within window_days of
// each other (first to last date at most window_days - 1 days apart: with 7, any one week),
// each under the approval threshold, together at or above it (rule split_invoice, warning).
// The classic way to avoid an approval is to cut one bill into pieces just under the limit.
//
// When an invoice under the threshold arrives, every window of window_days that contains its
// date is checked; the alert fires for the first window (earliest start) in which the invoices
// already seen stay under the threshold and this invoice lifts them to it or above. So each
// group is reported once, by whichever of its invoices arrives last: for a group of pieces in
// one window the same group is reported whatever the arrival order (tested); which invoice
// triggers it does depend on the order. Invoices at or above the
// threshold went through approval and take no part. (With overlapping groups, e.g. more pieces
// than needed spread over two windows, which pieces are named can depend on the order.)
//
// State: per supplier the under-threshold invoices dated no more than retention_days before the
// latest date seen for that supplier (retention_days >= window_days), at most
// max_invoices_per_supplier of them (oldest dates dropped first); about 60 bytes each. An
// invoice arriving more than retention_days late (by issue date) is judged without the older
// pieces, so a split whose pieces arrive that far out of order can be missed.
//
// Owned by one shard (invoices are routed by supplier); single-threaded.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "finance/finance_types.h"

namespace ledgerflow::finance {

struct SplitInvoiceParams {
  Money approval_threshold = Money::from_units(10'000);
  int32_t window_days = 7;
  size_t min_invoices = 2;
  int32_t retention_days = 60;
  size_t max_invoices_per_supplier = 1000;
};

class SplitInvoiceDetector {
 public:
  explicit SplitInvoiceDetector(SplitInvoiceParams params = {}) : params_(params) {}

  std::vector<Alert> observe(const Invoice& invoice);

  size_t retained(const std::string& supplier_id) const;

 private:
  struct Small {
    std::string id;
    std::string number;
    Money amount;
  };
  struct SupplierState {
    std::multimap<int64_t, Small> by_day;  // issue day -> invoice under the threshold
    int64_t latest_day = INT64_MIN;
  };
  void trim(SupplierState& s) const;
  Alert make_alert(const Invoice& inv, const std::vector<const Small*>& group, Money total,
                   int64_t first_day, int64_t last_day) const;

  SplitInvoiceParams params_;
  std::unordered_map<std::string, SupplierState> suppliers_;
};

}  // namespace ledgerflow::finance
