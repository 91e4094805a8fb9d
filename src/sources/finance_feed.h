#pragma once
// Feeds a generated finance data set (FinanceGenerator) into a running Engine on its own thread,
// paced at a number of records per second, through the same parse -> validate -> log path as
// every other source (source kind "generator", name "finance-generator").
//
// The data set is a pure function of its options, so a demo restarted on its data directory
// feeds the same records again and the engine counts them as duplicates: the finance figures
// do not move until the feed passes where the last run stopped.
//
// Owned by the demo command; start() and stop() from that thread.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "sources/finance_generator.h"

namespace ledgerflow {

// One generated record as a JSON line of docs/FINANCE_EVENTS.md with its "type" field. A
// supplier record that does not state its business day gets its arrival day: outside the
// generator's world the ingest day is the wall clock, not the simulated day.
std::string finance_record_line(const FinanceRecord& r);

// The data set whose simulated days end on `end_day` (the demo and `generate --finance` end
// them today), without the records that would arrive after it (late payments of the last
// invoices): they have not happened yet, and their dates would pull the ledger's clock ahead.
std::vector<FinanceRecord> finance_records_until(FinanceGeneratorOptions options, int64_t end_day);

class FinanceFeed {
 public:
  FinanceFeed(Engine* engine, FinanceGeneratorOptions options, int64_t end_day,
              double records_per_s);
  ~FinanceFeed();

  void start();
  void stop();
  uint64_t fed() const { return fed_.load(); }

 private:
  void run();

  Engine* engine_;
  FinanceGeneratorOptions options_;
  int64_t end_day_;
  double records_per_s_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> fed_{0};
};

}  // namespace ledgerflow
