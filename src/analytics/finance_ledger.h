#pragma once
// The finance ledger: suppliers, purchase orders, goods receipts, supplier invoices, payments and
// customer orders as the finance events describe them (docs/FINANCE_EVENTS.md), the fraud and
// anomaly detectors fed in log order, and the reads the finance API serves (docs/FINANCE_API.md):
// payables aging, payment delay, cash required and open commitments, early-payment
// opportunities and the plan under a budget, alerts, Benford profiles.
//
// Why one ledger and not one per supplier shard: three-way match needs the order, its receipts
// and its invoices together, and a payment needs its invoice and supplier; receipts and payments
// carry no supplier id. Finance volumes (thousands of documents a day) fit one shard with room
// to spare (docs/BENCHMARKS.md "Finance ledger"), so every finance event goes to one shard and
// no index has to follow ids across shards.
//
// Deterministic: a pure function of the events applied, in log order. Its checkpoint is its
// input, the canonical JSON of every applied event with its ingest time, re-applied on load
// (docs/ARCHITECTURE.md "Finance ledger"): the detectors' state then never needs a byte format of
// its own, and a restart gives the same alerts with the same sequence numbers.
//
// Owned by one ShardState; mutated on that shard's thread, read by others under the shard's lock.
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/json_writer.h"
#include "core/status.h"
#include "finance/aging.h"
#include "finance/benford_detector.h"
#include "finance/duplicate_invoice_detector.h"
#include "finance/early_payment.h"
#include "finance/early_payment_optimizer.h"
#include "finance/finance_types.h"
#include "finance/order_outlier_detector.h"
#include "finance/order_velocity_detector.h"
#include "finance/payment_checks.h"
#include "finance/payment_terms.h"
#include "finance/round_amount_detector.h"
#include "finance/split_invoice_detector.h"
#include "finance/three_way_match.h"
#include "finance/working_capital.h"
#include "ingest/finance_event_parser.h"

namespace ledgerflow {

// Every parameter of the finance rules and reads, with its documented default (docs/CONFIG.md
// [finance]).
struct FinanceConfig {
  finance::DuplicateInvoiceParams duplicate;
  finance::SplitInvoiceParams split;
  finance::ThreeWayMatchParams match;
  finance::PaymentCheckParams payment;
  finance::RoundAmountParams round;
  finance::BenfordParams benford;
  finance::OrderOutlierParams outlier;
  finance::OrderVelocityParams velocity;
  Money early_payment_budget = Money::from_units(100'000);
  double hurdle_rate = 0.10;        // simple annual return an early payment must reach
  size_t alerts_kept = 100'000;     // newest event alerts kept in memory (counts cover all)
  size_t max_events = 5'000'000;    // finance events held; beyond, events are counted and dropped
  FinanceParseLimits parse_limits;  // re-reading the checkpoint (the engine's ingest limits)
};

// One alert as the ledger keeps it: the detector's finding plus where and when it arose.
struct LedgerAlert {
  uint64_t seq = 0;       // 1, 2, ... in the order alerts arose (stable across restarts)
  uint64_t offset = 0;    // log offset of the record that raised it
  int64_t day = 0;        // business day of that record
  std::string subject;    // supplier or customer id the alert is about
  bool standing = false;  // round_amount_invoices / benford_deviation: re-judged as invoices come
  finance::Alert alert;
};

// One alert as a JSON object: the /api/v1/alerts element and the value of a finance alert on
// the Kafka `alerts` topic (docs/FINANCE_API.md).
void write_alert_json(JsonWriter& w, const LedgerAlert& a, const std::string& subject_name);

struct AlertFilter {
  std::string rule;     // empty: any
  std::string subject;  // empty: any
  std::optional<finance::Severity> severity;
  size_t limit = 200;
};

struct AlertPage {
  uint64_t total = 0;  // matching the filter (event alerts beyond alerts_kept are not counted)
  std::map<std::string, uint64_t> by_rule;      // all alerts ever raised, by rule
  std::map<std::string, uint64_t> by_severity;  // all alerts ever raised, by severity
  std::vector<LedgerAlert> alerts;              // newest first, at most limit
};

struct FinanceCounts {
  uint64_t suppliers = 0, purchase_orders = 0, goods_receipts = 0, invoices = 0, payments = 0,
           customer_orders = 0;
  uint64_t customer_invoices = 0, customer_payments = 0;
  uint64_t dropped = 0;  // events beyond max_events
  Money open_receivables;
  Money open_payables;
  Money overdue_payables;
};

inline constexpr int kCashHorizons = 3;
inline constexpr int32_t kCashHorizonDays[kCashHorizons] = {7, 30, 90};

struct CashFigures {
  std::array<Money, kCashHorizons> due{};  // open amounts due in [as_of, as_of + N]
  Money overdue;                           // open amounts due before as_of
  Money ordered_not_invoiced;
  Money invoiced_not_paid;
  Money open_commitments() const { return ordered_not_invoiced + invoiced_not_paid; }
};

// The value a purchase order commits: the sum of quantity x unit cost over its lines (what cash
// and open commitments count; the warehouse stores it with each order, sinks/finance_silver_rows).
Money purchase_order_value(const finance::PurchaseOrder& po);

struct CashReport {
  std::map<std::string, CashFigures> by_supplier;
  CashFigures total;
};

// The lead time a product's supplier agreed (issue 7: reorder uses the supplier's lead time).
// The supplier is that of the product's most recent purchase order (largest order day); when
// several orders of that day name the product, the supplier with the longest lead time (the safer
// assumption), then the smallest id. Suppliers without a record are passed over; the lead time
// is the record's current value. A product none of whose latest suppliers is known has none.
struct ProductLeadTime {
  std::string supplier_id;
  int32_t lead_time_days = 0;
  int64_t order_day = 0;  // of the purchase order that names the supplier
};

struct EarlyPaymentReport {
  std::vector<finance::EarlyPaymentOpportunity> opportunities;  // best first
  finance::EarlyPaymentPlan plan;
};

class FinanceLedger {
 public:
  explicit FinanceLedger(FinanceConfig config = {});

  // Applies one event (already deduplicated by identity) in log order.
  void apply(const FinanceEvent& event, int64_t ingest_time_ms, uint64_t offset);

  // The ledger's clock: the latest business day of any applied event (nullopt: none yet).
  std::optional<int64_t> latest_day() const { return latest_day_; }
  FinanceCounts counts(int64_t as_of_day) const;
  finance::AgingReport payables_aging(int64_t as_of_day) const;
  finance::AgingReport receivables_aging(int64_t as_of_day) const;
  // The finance side of DSO and DPO over the window ending on as_of_day: revenue (customer
  // invoices issued), purchases (supplier invoices issued), and average open receivables and
  // payables (end-of-day balances averaged over the window's days). COGS and inventory come
  // from the sales side (the caller fills them).
  finance::WorkingCapitalInputs working_capital_inputs(int64_t as_of_day,
                                                       int32_t window_days) const;
  std::map<std::string, finance::DelayStats> payment_delays() const;
  CashReport cash(int64_t as_of_day) const;
  // Every invoice whose discount is still open on as_of_day, best first (the warehouse's gold
  // stores these without the plan, which depends on a budget and a hurdle).
  std::vector<finance::EarlyPaymentOpportunity> early_payment_opportunities(
      int64_t as_of_day) const;
  EarlyPaymentReport early_payments(int64_t as_of_day, Money budget, double hurdle) const;
  AlertPage alerts(const AlertFilter& filter) const;
  std::optional<finance::BenfordProfile> benford(const std::string& supplier_id) const;
  std::vector<std::string> benford_suppliers() const;  // suppliers with counted amounts
  bool benford_flagged(const std::string& supplier_id) const;
  std::string supplier_name(const std::string& id) const;  // the id when the name is unknown
  // By product id as purchase orders name it.
  std::map<std::string, ProductLeadTime> product_lead_times() const;
  // An alert subject's display name: the supplier's name, else the id (customers have no name).
  std::string subject_name(const std::string& id) const { return supplier_name(id); }
  std::string invoice_number(const std::string& invoice_id) const;  // empty when unknown
  const FinanceConfig& config() const { return config_; }

  // Alerts raised after `seq` (for sinks that forward new alerts), oldest first.
  std::vector<LedgerAlert> alerts_after(uint64_t seq, size_t limit) const;
  uint64_t last_alert_seq() const { return next_seq_ - 1; }
  // Events applied so far (each changes the ledger's figures or not): a cheap staleness test
  // for readers that rebuild whole reports (the warehouse's finance gold).
  uint64_t applied_events() const { return history_.size(); }
  // The standing alerts that hold now, by (rule, subject): the warehouse mirrors this set.
  std::vector<LedgerAlert> standing_alerts() const;

  // The checkpoint: the applied events (canonical JSON) with ingest time and offset.
  void serialize(ByteWriter& w) const;
  bool deserialize(ByteReader& r);

 private:
  struct InvoiceState {
    finance::Invoice invoice;
    finance::PaymentTerms terms;  // the invoice's, else the supplier's, else due on issue
    int64_t due_day = 0;
    std::vector<finance::Payment> payments;  // sorted by (paid_day, id)
  };
  struct ReceivableState {
    finance::CustomerInvoice invoice;
    int64_t due_day = 0;
    std::vector<finance::CustomerPayment> payments;
  };
  struct LatestOrders {  // of one product: its latest order day and who was ordered from then
    int64_t day = 0;
    std::set<std::string> suppliers;
  };
  struct History {
    int64_t ingest_time_ms;
    uint64_t offset;
    std::string json;
  };

  void on(const finance::Supplier& s, int64_t ingest_day);
  void on(const finance::PurchaseOrder& po);
  void on(const finance::GoodsReceipt& r);
  void on(const finance::Invoice& inv);
  void on(const finance::Payment& p);
  void on(const finance::CustomerOrder& o);
  void on(const finance::CustomerInvoice& inv);
  void on(const finance::CustomerPayment& p);
  static Money open_receivable(const ReceivableState& s, int64_t as_of_day);
  void raise(finance::Alert a, const std::string& subject, bool standing = false);
  void raise_all(std::vector<finance::Alert> alerts, const std::string& subject);
  void judge_standing(const std::string& supplier_id);
  finance::PaymentTerms terms_for(const finance::Invoice& inv) const;
  // Open amount of an invoice on a day: amount less payments up to that day; 0 once settled
  // (paid in full, or paid less the discount by the discount deadline).
  Money open_amount(const InvoiceState& s, int64_t as_of_day) const;
  std::optional<int64_t> settled_day(const InvoiceState& s) const;

  FinanceConfig config_;
  finance::DuplicateInvoiceDetector duplicates_;
  finance::SplitInvoiceDetector splits_;
  finance::RoundAmountDetector round_;
  finance::BenfordDetector benford_;
  finance::OrderOutlierDetector outliers_;
  finance::OrderVelocityDetector velocity_;

  std::map<std::string, finance::Supplier> suppliers_;
  std::map<std::string, finance::PurchaseOrder> orders_;
  std::map<std::string, LatestOrders> latest_orders_;                   // by product id
  std::map<std::string, std::vector<finance::GoodsReceipt>> receipts_;  // by purchase order
  std::map<std::string, std::vector<std::string>> invoices_by_order_;   // po -> invoice ids
  std::map<std::string, InvoiceState> invoices_;
  std::map<std::string, std::vector<finance::Payment>> orphan_payments_;  // invoice not yet seen
  std::map<std::string, ReceivableState> receivables_;
  std::map<std::string, std::vector<finance::CustomerPayment>> orphan_receipts_;
  uint64_t customer_payments_ = 0;
  uint64_t goods_receipts_ = 0;
  uint64_t payments_ = 0;
  uint64_t customer_orders_ = 0;
  uint64_t dropped_ = 0;

  uint64_t next_seq_ = 1;
  std::deque<LedgerAlert> alerts_;  // event alerts, newest last, bounded
  std::map<std::pair<std::string, std::string>, LedgerAlert> standing_;  // (rule, supplier)
  std::map<std::string, uint64_t> raised_by_rule_;
  std::map<std::string, uint64_t> raised_by_severity_;
  std::optional<int64_t> latest_day_;
  uint64_t current_offset_ = 0;
  int64_t current_day_ = 0;

  std::vector<History> history_;
};

}  // namespace ledgerflow
