#pragma once
// JSON shapes of the finance and fraud API (docs/FINANCE_API.md): pure functions of the finance
// ledger and the query, called on HTTP worker threads under the finance shard's lock.
#include <cstdint>
#include <string>

#include "analytics/dataco_receivables.h"
#include "analytics/finance_ledger.h"
#include "analytics/reorder_report.h"
#include "core/json_writer.h"

namespace ledgerflow::server {

struct FinanceQuery {
  int64_t as_of_day = 0;  // resolved by the caller (parameter, else the ledger's latest day)
  Money budget;
  double hurdle = 0;
  size_t limit = 500;
  AlertFilter alerts;
  std::string supplier;  // benford: empty lists every supplier
  std::string side;      // aging: "payables" (default) or "receivables"
};

// One product x store of /api/v1/reorder (docs/API.md).
void write_reorder_line(JsonWriter& w, const ReorderLine& l);

std::string finance_summary_json(const FinanceLedger& l, const FinanceQuery& q);
// side "receivables" (customer invoices by customer), else payables (supplier invoices); with
// `dataco`, its block "dataco" (PENDING_PAYMENT order lines on the DataCo clock) follows.
std::string aging_json(const FinanceLedger& l, const FinanceQuery& q,
                       const DatacoReceivablesAging* dataco = nullptr);
// DSO, DIO, DPO and CCC from the inputs (docs/FINANCE_API.md "working-capital").
std::string working_capital_json(const finance::WorkingCapitalInputs& in, int64_t as_of_day);
std::string payment_delays_json(const FinanceLedger& l);
std::string cash_json(const FinanceLedger& l, const FinanceQuery& q);
std::string early_payments_json(const FinanceLedger& l, const FinanceQuery& q);
// The ledger's alerts, then `derived` standing alerts (DataCo patterns) under the same filter.
std::string alerts_json(const FinanceLedger& l, const FinanceQuery& q,
                        const std::vector<LedgerAlert>& derived = {});
// Bad input "unknown_supplier" when the supplier has no counted amount.
Result<std::string> benford_json(const FinanceLedger& l, const FinanceQuery& q);

}  // namespace ledgerflow::server
