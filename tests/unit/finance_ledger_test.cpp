// The finance ledger the engine keeps (analytics/finance_ledger.h): aging, cash required, open
// commitments, payment delay and early payments on a small book whose figures are worked out by
// hand in the comments; its checkpoint (the applied events) gives back the same answers; and the
// engine routes finance events over HTTP-style batches, deduplicates retries and recovers the
// ledger from checkpoint + tail and from the log alone.
#include <gtest/gtest.h>

#include <filesystem>

#include "analytics/finance_ledger.h"
#include "engine/engine.h"
#include "ingest/event_parser.h"
#include "ingest/finance_event_writer.h"
#include "ingest/ndjson_batch.h"
#include "server/finance_json.h"
#include "sources/finance_feed.h"
#include "support/generated_events.h"
#include "test_util.h"

using namespace ledgerflow;
using namespace ledgerflow::finance;
using ledgerflow::testing::submit_lines;
using ledgerflow::testing::TempDir;

namespace {

constexpr int64_t D = 20'454;  // 2026-01-01

Money m(const char* s) {
  return *Money::parse(s);
}

// The book:
//   S1 "Acme", terms 2/10 net 30.
//   P1 (day D): A 10 x 100.00 + B 5 x 40.00 = 1,200.00; received in full on D+3.
//   I1 (D+5) on P1: 1,000.00, supplier terms: discount deadline D+15 (20.00), due D+35.
//   I2 (D+6) no order, "net 45": 500.00 due D+51 (invoice_without_po alert).
//   I3 (D+5) a copy of I1's amount and date under another number: duplicate_invoice.
//   Y1 (D+12) 980.00 on I1: inside the discount window, so I1 is settled (delay D+12 - D+35 = -23).
//   Y2 (D+20) 200.00 on I2: 300.00 stays open.
std::vector<FinanceEvent> book() {
  Supplier s{.id = "S1",
             .name = "Acme",
             .bank_account_fingerprint = "fp1",
             .terms_text = "2/10 net 30",
             .lead_time_days = 5};
  PurchaseOrder p1{
      .id = "P1",
      .supplier_id = "S1",
      .order_day = D,
      .lines = {{"A", 10, m("100.00"), std::nullopt}, {"B", 5, m("40.00"), std::nullopt}}};
  GoodsReceipt r1{.id = "R1", .po_id = "P1", .received_day = D + 3, .lines = {{"A", 10}, {"B", 5}}};
  Invoice i1{.id = "I1",
             .supplier_id = "S1",
             .number = "INV-1",
             .po_id = "P1",
             .amount = m("1000.00"),
             .issue_day = D + 5,
             .lines = {{"A", 10, m("100.00")}}};
  Invoice i2{.id = "I2",
             .supplier_id = "S1",
             .number = "INV-2",
             .amount = m("500.00"),
             .issue_day = D + 6,
             .terms_text = "net 45"};
  Invoice i3{.id = "I3",
             .supplier_id = "S1",
             .number = "ZZ-77",
             .amount = m("1000.00"),
             .issue_day = D + 5};
  Payment y1{.id = "Y1",
             .invoice_id = "I1",
             .amount = m("980.00"),
             .paid_day = D + 12,
             .bank_account_fingerprint = "fp1"};
  Payment y2{.id = "Y2",
             .invoice_id = "I2",
             .amount = m("200.00"),
             .paid_day = D + 20,
             .bank_account_fingerprint = "fp1"};
  return {s, p1, r1, i1, i2, i3, y1, y2};
}

FinanceLedger ledger_of(const std::vector<FinanceEvent>& events) {
  FinanceLedger l;
  uint64_t offset = 0;
  for (const FinanceEvent& e : events) l.apply(e, D * kMsPerDay, offset++);
  return l;
}

}  // namespace

TEST(FinanceLedger, AgingCashAndCommitmentsByHand) {
  FinanceLedger l = ledger_of(book());
  EXPECT_EQ(l.latest_day(), D + 20);

  // D+40: I1 settled; I2 open 300.00 due D+51 (current); I3 1,000.00 under supplier terms due
  // D+35: 5 days past due.
  AgingReport a = l.payables_aging(D + 40);
  EXPECT_EQ(a.total.amount[kCurrent], m("300.00"));
  EXPECT_EQ(a.total.amount[kPastDue1To30], m("1000.00"));
  EXPECT_EQ(a.total.total, m("1300.00"));
  EXPECT_EQ(a.by_counterparty.at("S1").count[kCurrent], 1);

  CashReport c = l.cash(D + 40);
  // Due in [D+40, D+47]: none; [.., D+70] and [.., D+130]: I2's 300.00. Overdue: I3.
  EXPECT_EQ(c.total.due[0], Money());
  EXPECT_EQ(c.total.due[1], m("300.00"));
  EXPECT_EQ(c.total.due[2], m("300.00"));
  EXPECT_EQ(c.total.overdue, m("1000.00"));
  EXPECT_EQ(c.total.invoiced_not_paid, m("1300.00"));
  // P1: 1,200.00 ordered, 1,000.00 invoiced against it.
  EXPECT_EQ(c.total.ordered_not_invoiced, m("200.00"));
  EXPECT_EQ(c.total.open_commitments(), m("1500.00"));
  EXPECT_EQ(c.by_supplier.at("S1").open_commitments(), m("1500.00"));

  // D+19, before Y2: I1 settled on D+12, I2 fully open (500.00), I3 open (1,000.00).
  EXPECT_EQ(l.payables_aging(D + 19).total.total, m("1500.00"));
  // D+10, before Y1: I1 open too.
  EXPECT_EQ(l.payables_aging(D + 10).total.total, m("2500.00"));

  std::map<std::string, DelayStats> delays = l.payment_delays();
  ASSERT_EQ(delays.size(), 1u);
  EXPECT_EQ(delays.at("S1").count, 1);
  EXPECT_EQ(delays.at("S1").p90_days, -23);
}

TEST(FinanceLedger, EarlyPaymentsAndThePlanUnderABudget) {
  FinanceLedger l = ledger_of(book());
  // D+7: I1 (1,000.00, 2/10 net 30) and I3 (1,000.00, supplier terms) can take 20.00 each; I2
  // (net 45) has no discount.
  EarlyPaymentReport r = l.early_payments(D + 7, m("1000.00"), 0.10);
  ASSERT_EQ(r.opportunities.size(), 2u);
  EXPECT_EQ(r.opportunities[0].discount, m("20.00"));
  EXPECT_EQ(r.opportunities[0].pay_now, m("980.00"));
  EXPECT_EQ(r.opportunities[0].days_gained, 20);
  EXPECT_NEAR(r.opportunities[0].simple_annual_return, 0.3724, 1e-4);
  // 1,000.00 pays one of them (980.00), not both (1,960.00).
  EXPECT_EQ(r.plan.invoice_ids.size(), 1u);
  EXPECT_EQ(r.plan.savings, m("20.00"));
  EXPECT_EQ(l.early_payments(D + 7, m("1960.00"), 0.10).plan.savings, m("40.00"));
  EXPECT_TRUE(l.early_payments(D + 7, m("979.99"), 0.10).plan.invoice_ids.empty());
  // A hurdle above 37.24 % takes nothing.
  EXPECT_TRUE(l.early_payments(D + 7, m("5000.00"), 0.40).plan.invoice_ids.empty());
  // D+16: past the discount deadline.
  EXPECT_TRUE(l.early_payments(D + 16, m("5000.00"), 0.10).opportunities.empty());
}

TEST(FinanceLedger, AlertsCarrySubjectDayAndSequence) {
  FinanceLedger l = ledger_of(book());
  AlertPage all = l.alerts(AlertFilter{.limit = 100});
  EXPECT_EQ(all.by_rule["duplicate_invoice"], 1u);
  EXPECT_EQ(all.by_rule["invoice_without_po"], 2u);  // I2 and I3
  ASSERT_EQ(all.total, all.alerts.size());
  for (size_t i = 1; i < all.alerts.size(); ++i) {
    EXPECT_GT(all.alerts[i - 1].seq, all.alerts[i].seq);  // newest first
  }
  AlertPage dup = l.alerts(AlertFilter{.rule = "duplicate_invoice", .limit = 10});
  ASSERT_EQ(dup.alerts.size(), 1u);
  EXPECT_EQ(dup.alerts[0].subject, "S1");
  EXPECT_EQ(dup.alerts[0].day, D + 5);
  EXPECT_EQ(dup.alerts[0].offset, 5u);  // I3 is the sixth event
  EXPECT_EQ(dup.alerts[0].alert.severity, Severity::kCritical);
  AlertPage none = l.alerts(AlertFilter{.subject = "S2", .limit = 10});
  EXPECT_EQ(none.total, 0u);
  EXPECT_EQ(l.alerts_after(0, 100).size(), all.total);
  EXPECT_EQ(l.alerts_after(l.last_alert_seq(), 100).size(), 0u);
}

// The checkpoint is the events applied: loading it answers every read exactly as before.
TEST(FinanceLedger, CheckpointGivesBackTheSameAnswers) {
  FinanceGeneratorOptions o;
  o.seed = 3;
  o.days = 200;
  o.suppliers = 10;
  o.customers = 20;
  FinanceLedger l;
  uint64_t offset = 0;
  for (const FinanceRecord& r : FinanceGenerator(o).generate().records) {
    l.apply(r.event, r.arrival_ms, offset++);
  }
  std::string bytes;
  ByteWriter w(&bytes);
  l.serialize(w);
  FinanceLedger back;
  ByteReader r(bytes);
  ASSERT_TRUE(back.deserialize(r));
  server::FinanceQuery q;
  q.as_of_day = *l.latest_day();
  q.budget = m("50000");
  q.hurdle = 0.1;
  q.alerts.limit = 100'000;
  EXPECT_GT(l.alerts(q.alerts).total, 10u);
  EXPECT_EQ(server::alerts_json(back, q), server::alerts_json(l, q));
  EXPECT_EQ(server::cash_json(back, q), server::cash_json(l, q));
  EXPECT_EQ(server::early_payments_json(back, q), server::early_payments_json(l, q));
  EXPECT_EQ(server::payment_delays_json(back), server::payment_delays_json(l));
  // A truncated checkpoint is refused, not half loaded.
  ByteReader cut(std::string_view(bytes).substr(0, bytes.size() / 2));
  FinanceLedger partial;
  EXPECT_FALSE(partial.deserialize(cut));
}

TEST(FinanceLedger, EventLimitDropsAndCounts) {
  FinanceConfig c;
  c.max_events = 3;
  FinanceLedger l(c);
  uint64_t offset = 0;
  for (const FinanceEvent& e : book()) l.apply(e, 0, offset++);
  FinanceCounts counts = l.counts(D + 40);
  EXPECT_EQ(counts.dropped, 5u);
  EXPECT_EQ(counts.suppliers + counts.purchase_orders + counts.goods_receipts, 3u);
}

namespace {

std::vector<std::string> finance_lines(uint64_t seed) {
  FinanceGeneratorOptions o;
  o.seed = seed;
  o.days = 150;
  o.suppliers = 8;
  o.customers = 15;
  std::vector<std::string> lines;
  for (const FinanceRecord& r : finance_records_until(o, D + 149)) {
    lines.push_back(finance_record_line(r));
  }
  return lines;
}

std::string finance_state(const Engine& e) {
  return e.read_finance([](const FinanceLedger& l) {
    server::FinanceQuery q;
    q.as_of_day = l.latest_day().value_or(0);
    q.budget = Money::from_units(20'000);
    q.hurdle = 0.1;
    q.alerts.limit = 100'000;
    return server::finance_summary_json(l, q) + server::alerts_json(l, q) +
           server::cash_json(l, q) + server::early_payments_json(l, q) + server::aging_json(l, q);
  });
}

EngineConfig engine_config(const std::string& dir, int shards) {
  EngineConfig c;
  c.data_dir = dir;
  c.shards = shards;
  c.checkpoint_interval_ms = 3'600'000;
  return c;
}

}  // namespace

// Finance events mixed with sales through the engine: retries are duplicates, and the ledger
// after checkpoint + tail, after a replay of the whole log, and with another shard count equals
// the live one; the same events applied to a bare ledger give the same answers.
TEST(FinanceLedger, EngineRecoversTheLedgerExactly) {
  TempDir tmp;
  std::vector<std::string> lines = finance_lines(9);
  std::vector<std::string> sales = ledgerflow::testing::generated_lines(500, 4, 60.0);
  lines.insert(lines.begin() + 200, sales.begin(), sales.end());
  lines.insert(lines.begin() + 10, R"({"type":"invoice","id":"bad","amount":"x"})");
  ASSERT_GT(lines.size(), 1500u);
  std::string live;
  {
    Engine e(engine_config(tmp.sub("data"), 2));
    ASSERT_TRUE(e.start());
    submit_lines(e, lines, 0, 1000);
    ASSERT_TRUE(e.checkpoint_now());
    submit_lines(e, lines, 1000, lines.size());
    submit_lines(e, lines, 0, 800);  // a retried prefix: duplicates only
    live = finance_state(e);
    PipelineStats p = e.pipeline();
    EXPECT_EQ(p.dead_letters, 2u);  // the bad invoice, twice
    EXPECT_EQ(p.dead_letters_by_reason["missing_field"] + p.dead_letters_by_reason["bad_money"],
              2u);
    std::filesystem::copy(tmp.sub("data"), tmp.sub("crash-copy"),
                          std::filesystem::copy_options::recursive);
    e.stop();
  }
  EXPECT_NE(live.find("\"invoices\":"), std::string::npos);
  for (int shards : {2, 3}) {
    Engine e(engine_config(tmp.sub("crash-copy"), shards));
    ASSERT_TRUE(e.start());
    EXPECT_EQ(finance_state(e), live) << shards << " shards";
    e.stop();
    std::filesystem::remove_all(tmp.sub("crash-copy/checkpoints"));
  }
  // The bare ledger over the good finance lines in order.
  FinanceLedger bare;
  FinanceEventParser parser;
  uint64_t offset = 0;
  for (const std::string& line : lines) {
    FinanceEvent fe;
    if (parser.parse(line, std::nullopt, &fe)) bare.apply(fe, 0, offset);
    ++offset;
  }
  server::FinanceQuery q;
  q.as_of_day = *bare.latest_day();
  q.alerts.limit = 100'000;
  std::string bare_alerts = server::alerts_json(bare, q);
  EXPECT_EQ(live.find(server::finance_summary_json(bare, q).substr(0, 40)), 0u);
  // Alert offsets differ (the log interleaves sales); rules, subjects and messages agree.
  Engine e(engine_config(tmp.sub("data"), 2));
  ASSERT_TRUE(e.start());
  AlertPage engine_alerts = e.read_finance(
      [](const FinanceLedger& l) { return l.alerts(AlertFilter{.limit = 100'000}); });
  AlertPage bare_page = bare.alerts(AlertFilter{.limit = 100'000});
  ASSERT_EQ(engine_alerts.alerts.size(), bare_page.alerts.size());
  for (size_t i = 0; i < bare_page.alerts.size(); ++i) {
    EXPECT_EQ(engine_alerts.alerts[i].alert.message, bare_page.alerts[i].alert.message);
  }
  e.stop();
}

// EventParser hands finance lines to the finance parser: by endpoint (implied type), by the
// "type" field of a line on the generic endpoint, and refuses a mismatch.
TEST(FinanceLedger, EventParserRoutesFinanceLines) {
  EventParser parser;
  const std::string invoice =
      R"({"id":"I9","supplier_id":"S1","number":"N-9","amount":"120.50","currency":"EUR","issue_date":"2026-03-02","terms":"net 30"})";
  Event e;
  ASSERT_TRUE(parser.parse(invoice, EventType::kInvoice, &e));
  EXPECT_EQ(e.type, EventType::kInvoice);
  EXPECT_EQ(e.id, "I9");
  EXPECT_EQ(e.event_time_ms, (D + 60) * kMsPerDay);
  ASSERT_NE(e.finance, nullptr);
  EXPECT_EQ(std::get<Invoice>(*e.finance).amount, m("120.50"));
  Event typed;
  // "type" last: the generic endpoint finds it wherever it stands.
  std::string with_type = invoice.substr(0, invoice.size() - 1) + R"(,"type":"invoice"})";
  ASSERT_TRUE(parser.parse(with_type, std::nullopt, &typed));
  EXPECT_EQ(typed.id_key, e.id_key);  // the same invoice whichever way it came
  Status s = parser.parse(invoice, EventType::kPayment, &e);
  EXPECT_FALSE(s);
  Status mismatch = parser.parse(with_type, EventType::kPayment, &e);
  EXPECT_EQ(mismatch.code(), "type_mismatch");
  // A sale line on the generic endpoint still parses as a sale.
  ASSERT_TRUE(parser.parse(
      R"({"type":"sale_transaction","id":"r1","prod_id":1,"prod_name":"x","unit_sold":1,"reorder_point":1,"regular_unit_price":1.5,"dt":"2026-03-02 10:00:00"})",
      std::nullopt, &e));
  EXPECT_EQ(e.type, EventType::kSale);
  // Two versions of a supplier are two identities; the same version twice is one.
  Event v1, v2, v1again;
  ASSERT_TRUE(parser.parse(
      R"({"type":"supplier","id":"S1","name":"A","bank_account_fingerprint":"fp1","terms":"net 30","lead_time_days":5})",
      std::nullopt, &v1));
  ASSERT_TRUE(parser.parse(
      R"({"type":"supplier","id":"S1","name":"A","bank_account_fingerprint":"fp2","terms":"net 30","lead_time_days":5})",
      std::nullopt, &v2));
  ASSERT_TRUE(parser.parse(
      R"({"type":"supplier", "id":"S1","name":"A","bank_account_fingerprint":"fp1","terms":"net 30","lead_time_days":5})",
      std::nullopt, &v1again));
  EXPECT_NE(v1.id_key, v2.id_key);
  EXPECT_EQ(v1.id_key, v1again.id_key);
}

// Receivables and the finance side of working capital, by hand:
//   CI1 (C1) 300.00 issued D, net 30: due D+30; CP1 100.00 on D+20.
//   CI2 (C2) 200.00 issued D+5, due_date D+10; CP2 200.00 on D+40 (late).
TEST(FinanceLedger, ReceivablesAgingAndWorkingCapitalByHand) {
  std::vector<FinanceEvent> events = book();
  events.push_back(CustomerInvoice{.id = "CI1",
                                   .customer_id = "C1",
                                   .amount = m("300.00"),
                                   .currency = "EUR",
                                   .issue_day = D,
                                   .terms_text = "net 30"});
  events.push_back(CustomerInvoice{.id = "CI2",
                                   .customer_id = "C2",
                                   .amount = m("200.00"),
                                   .currency = "EUR",
                                   .issue_day = D + 5,
                                   .due_day = D + 10,
                                   .terms_text = "net 30"});
  events.push_back(CustomerPayment{"CP1", "CI1", m("100.00"), D + 20, "card"});
  events.push_back(CustomerPayment{"CP2", "CI2", m("200.00"), D + 40, "transfer"});
  FinanceLedger l = ledger_of(events);

  // D+35: CI1 200.00 open, 5 days past due; CI2 200.00 open, 25 days past due.
  AgingReport a = l.receivables_aging(D + 35);
  EXPECT_EQ(a.total.amount[kPastDue1To30], m("400.00"));
  EXPECT_EQ(a.total.count[kPastDue1To30], 2);
  EXPECT_EQ(a.by_counterparty.at("C2").total, m("200.00"));
  // D+45: CI2 settled; CI1 200.00, 15 days past due.
  a = l.receivables_aging(D + 45);
  EXPECT_EQ(a.total.total, m("200.00"));
  EXPECT_EQ(l.counts(D + 45).open_receivables, m("200.00"));
  // D+9, before the first payments: nothing past due yet... CI1 is current, CI2 current.
  EXPECT_EQ(l.receivables_aging(D + 9).total.amount[kCurrent], m("500.00"));

  // Window D .. D+9 (10 days):
  //   receivables: CI1 300.00 x 10 days + CI2 200.00 x 5 days = 4,000.00 / 10 = 400.00;
  //   revenue 500.00, so DSO = 400 / 500 x 10 = 8 days.
  //   payables: I1 1,000.00 x 5 days (D+5..D+9) + I2 500.00 x 4 + I3 1,000.00 x 5 = 12,000.00
  //   / 10 = 1,200.00; purchases 2,500.00: DPO on purchases = 1,200 / 2,500 x 10 = 4.8 days.
  WorkingCapitalInputs in = l.working_capital_inputs(D + 9, 10);
  EXPECT_EQ(in.average_receivables, m("400.00"));
  EXPECT_EQ(in.revenue, m("500.00"));
  EXPECT_EQ(in.average_payables, m("1200.00"));
  EXPECT_EQ(in.purchases, m("2500.00"));
  in.dpo_basis = DpoBasis::kPurchases;
  WorkingCapitalDays days = working_capital_days(in);
  EXPECT_DOUBLE_EQ(*days.dso, 8.0);
  EXPECT_DOUBLE_EQ(*days.dpo, 4.8);
  EXPECT_FALSE(days.dio);  // no COGS in the ledger: the sales side fills it
  // A window after everything settled except CI1's rest: D+46 .. D+55, 200.00 every day.
  in = l.working_capital_inputs(D + 55, 10);
  EXPECT_EQ(in.average_receivables, m("200.00"));
  EXPECT_EQ(in.revenue, Money());
}
