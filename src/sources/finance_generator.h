#pragma once
// A seeded, deterministic supply-chain finance workload with ground truth: a supplier base
// (terms mix, lead times, bank accounts), purchase orders, goods receipts (mostly complete,
// some partial), invoices against them, payments (early with the discount, on time, late) and
// customer orders; plus each anomaly kind the finance detectors know, injected at a
// configurable rate, with labels saying which records are anomalous for which rule.
//
// The records come out in arrival order (the order a shard would see them in), each as the
// finance struct and, through finance_event_json(), as a JSON line in the schema of
// docs/FINANCE_EVENTS.md. What "clean" means here (the invariants the detectors rely on) is
// documented in docs/FINANCE.md ("Generated data").
//
// Not thread-safe; generate() builds the whole data set in memory (about 1 KB per record).
// Owned by whoever drives it (a test, later the generate command or a GeneratorSource).
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "ingest/finance_event_parser.h"

namespace ledgerflow {

// Chance of each anomaly per opportunity. Defaults give every kind a few dozen cases per
// default data set; none() gives clean data.
struct FinanceAnomalyRates {
  double duplicate_invoice = 0.01;       // per invoice: a re-submitted copy, same number and date
  double near_duplicate_number = 0.01;   // per invoice: a copy with a one-edit number, days later
  double split_invoice = 0.01;           // per purchase: billed in pieces under the threshold
  double price_mismatch = 0.01;          // per purchase: a unit price 5-25 % above the order
  double quantity_mismatch = 0.01;       // per purchase: 10-50 % more billed than received
  double invoice_not_received = 0.01;    // per purchase: billed, nothing received
  double payment_already_paid = 0.01;    // per paid-in-full invoice: paid a second time
  double payment_before_invoice = 0.01;  // per payment: dated before the invoice
  double bank_account_change = 0.1;      // per supplier: account changed before a payment
  double round_amount_supplier = 0.1;    // per supplier: 40 % of its invoices round
  double benford_supplier = 0.1;         // per supplier: first digits 5-9 only
  double order_outlier = 0.005;          // per customer order (after 55 orders): 8-15 x usual
  double order_burst = 0.002;            // per customer order: 6-8 more within 30 minutes

  static FinanceAnomalyRates none() {
    FinanceAnomalyRates r;
    r.duplicate_invoice = r.near_duplicate_number = r.split_invoice = 0;
    r.price_mismatch = r.quantity_mismatch = r.invoice_not_received = 0;
    r.payment_already_paid = r.payment_before_invoice = r.bank_account_change = 0;
    r.round_amount_supplier = r.benford_supplier = r.order_outlier = r.order_burst = 0;
    return r;
  }
};

struct FinanceGeneratorOptions {
  uint64_t seed = 42;
  int64_t start_day = 20'454;  // 2026-01-01
  int32_t days = 540;          // long enough for ~70 invoices per supplier (Benford needs 50)
  int suppliers = 30;
  int customers = 60;
  FinanceAnomalyRates rates;
  // Must match SplitInvoiceParams: split pieces are cut under it, within the window.
  Money approval_threshold = Money::from_units(10'000);
  // Receivables: this share of customer orders is invoiced (net 15 or net 30); 80 % of those
  // are paid within terms, 15 % late, 5 % never. Drawn from their own random stream, so the
  // rest of the data set does not depend on it.
  double invoiced_order_share = 0.6;
  int32_t split_window_days = 7;
  // Catalog product k is supplier (k mod suppliers)'s product (k div suppliers), named by its
  // prod_id in decimal, so that reorder recommendations find each catalog product's supplier
  // and lead time (the demo passes its catalog). Products beyond are named "P-<supplier>-NN".
  // Only names change: the random draws, and so every figure and label, stay the same.
  std::vector<int64_t> catalog_product_ids;
};

struct FinanceRecord {
  int64_t arrival_ms = 0;  // when a shard sees it: records are sorted by this
  FinanceEvent event;
};

// Ground truth. cases[rule]: one entry per injected anomaly, listing the ids (invoice, payment,
// order or supplier) any of which an alert for it names. also[rule]: injected records that trip
// that rule as a consequence of another anomaly (a duplicate invoice also over-bills its order):
// an alert on them is a true alert, but finding them is not required.
struct FinanceLabels {
  std::map<std::string, std::vector<std::vector<std::string>>> cases;
  std::map<std::string, std::set<std::string>> also;
};

struct FinanceDataset {
  std::vector<FinanceRecord> records;  // in arrival order
  FinanceLabels labels;
};

class FinanceGenerator {
 public:
  explicit FinanceGenerator(FinanceGeneratorOptions options);
  ~FinanceGenerator();

  FinanceDataset generate();

 private:
  struct SupplierPlan;
  enum class PurchaseKind { kClean, kSplit, kPrice, kQuantity, kNotReceived };
  void plan_supplier(int index);
  void emit_purchase(SupplierPlan& s, int64_t order_day);
  std::vector<finance::PurchaseOrderLine> order_lines(SupplierPlan& s, PurchaseKind kind);
  finance::Invoice make_invoice(SupplierPlan& s, const std::string& po_id,
                                std::vector<finance::InvoiceLine> lines, int64_t issue_day);
  void emit_split(SupplierPlan& s, const finance::Invoice& whole);
  void emit_invoice_copies(const finance::Invoice& inv);
  void emit_payments(SupplierPlan& s, const finance::Invoice& inv);
  void plan_bank_change(SupplierPlan& s);
  void assign_accounts(SupplierPlan& s);
  void plan_customer(int index);
  void plan_receivables();
  PurchaseKind purchase_kind();
  std::string next_id(const char* prefix);
  void add(int64_t day, FinanceEvent e);
  void add_at_ms(int64_t arrival_ms, FinanceEvent e);
  void label(const std::string& rule, std::vector<std::string> ids);
  bool chance(double p);
  int64_t uniform(int64_t lo, int64_t hi);
  double uniform_real(double lo, double hi);
  std::string fingerprint();

  FinanceGeneratorOptions options_;
  std::mt19937_64 rng_;
  FinanceDataset out_;
  std::vector<SupplierPlan> suppliers_;
  uint64_t next_id_ = 1;
  std::mt19937_64 receivables_rng_;
  uint64_t next_receivable_id_ = 1;
};

}  // namespace ledgerflow
