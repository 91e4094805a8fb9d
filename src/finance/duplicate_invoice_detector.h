#pragma once
// Duplicate and near-duplicate supplier invoices, seen one invoice at a time.
//
// Rules (one alert per pair of invoices, the first that applies):
//  - duplicate_invoice (critical): same supplier, same amount and same issue date.
//  - near_duplicate_invoice_number (warning): same supplier, invoice numbers equal after
//    normalization, or within one edit (insert, delete or substitute one character) of each
//    other AND for the same amount AND not on two different purchase orders. One edit alone is
//    not enough: suppliers number invoices sequentially, so INV1043 and INV1044 are one edit
//    apart on perfectly clean data; and a standing order bills the same amount again on its
//    next purchase order (measured on generated data, docs/FINANCE.md).
// Normalization: upper-case, drop everything but A-Z and 0-9, drop the leading zeros of every
// run of digits ("inv-0012/a" -> "INV12A"); only the first kMaxNumberLength characters of the
// normalized number are compared.
//
// State and order: per supplier the last max_invoices_per_supplier invoices (in arrival order)
// are kept, about 100 bytes each plus the strings; older ones are forgotten, so a duplicate of
// an invoice that many invoices back is not found. Within that bound the set of reported pairs
// does not depend on arrival order; which invoice of a pair is named the duplicate does (the
// later arrival). An invoice id seen again is ignored (replays).
//
// Owned by one shard (invoices are routed by supplier); single-threaded.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "finance/finance_types.h"

namespace ledgerflow::finance {

struct DuplicateInvoiceParams {
  size_t max_invoices_per_supplier = 1000;
};

inline constexpr size_t kMaxNumberLength = 64;

std::string normalize_invoice_number(std::string_view number);
// True when a and b are at most one insertion, deletion or substitution apart: one pass over
// the strings, no edit-distance matrix.
bool within_one_edit(std::string_view a, std::string_view b);

class DuplicateInvoiceDetector {
 public:
  explicit DuplicateInvoiceDetector(DuplicateInvoiceParams params = {}) : params_(params) {}

  std::vector<Alert> observe(const Invoice& invoice);

  size_t retained(const std::string& supplier_id) const;

 private:
  struct Seen {
    std::string id;
    std::string number;
    std::string normalized;
    std::string po_id;
    Money amount;
    int64_t issue_day = 0;
  };
  std::optional<Alert> compare(const Invoice& inv, const std::string& normalized,
                               const Seen& earlier) const;

  DuplicateInvoiceParams params_;
  std::unordered_map<std::string, std::deque<Seen>> by_supplier_;
};

}  // namespace ledgerflow::finance
