#pragma once
// Silver rows of the finance events (docs/FINANCE_EVENTS.md, sql/migrations/005): supplier
// versions, purchase orders and their lines, goods receipts and their lines, supplier invoices
// and their lines, payments and customer orders. A finance record in the bronze log holds its
// raw JSON only, so each is parsed again here (as the engine does on replay) with the engine's
// limits.
//
// Each document is keyed by its id and inserted with ON CONFLICT DO NOTHING in log order, so
// the first copy stays, as in the ledger; supplier versions are keyed by id and the engine's
// content hash. Lines are keyed by their document's log offset: a replayed document's lines
// are loaded under its own offset and deleted again in the same transaction when the document
// itself was not loaded (one DELETE per line table, over this batch's offsets only).
//
// Owned by SilverRows (the WarehouseWriter thread), one per micro-batch.
#include <cstdint>
#include <functional>

#include "ingest/finance_event_parser.h"
#include "log/log_record.h"
#include "sinks/warehouse_backend.h"

namespace ledgerflow::sinks {

class FinanceSilverRows {
 public:
  // The dim_date key of a business day (days since 1970-01-01), adding the dim_date row when
  // the day is new (SilverRows owns the dimension).
  using DateKey = std::function<int64_t(int64_t day)>;

  FinanceSilverRows();
  // Parses the record's raw bytes and adds its rows. Fails (fatal, "log_unreadable") when the
  // bytes no longer parse: the engine refuses such a log too (Engine::reparse_finance).
  Status add(const LogRecord& rec, FinanceEventParser& parser, const DateKey& date_key);
  // Facts, then the deletes of replayed documents' lines.
  void append_steps(WarehouseTxn* txn);

 private:
  void add_event(const LogRecord& rec, const FinanceEvent& event, const DateKey& date_key);

  TableRows suppliers_, orders_, order_lines_, receipts_, receipt_lines_, invoices_, invoice_lines_,
      payments_, customer_orders_, customer_invoices_, customer_payments_;
};

}  // namespace ledgerflow::sinks
