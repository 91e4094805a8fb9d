#pragma once
// Generated seed-format events as typed NDJSON lines (`{"type":"sale_transaction",...}`), for
// tests that post or submit them: 3 stores from 2024-05-01, by default 1,000 events per
// simulated second; the batch an HTTP request of such lines becomes, and submitting it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/engine.h"
#include "ingest/catalog.h"
#include "ingest/ndjson_batch.h"
#include "sources/generator.h"

namespace ledgerflow::testing {

inline std::vector<std::string> generated_lines(size_t n, uint64_t seed, double clock_rate = 1000) {
  GeneratorOptions g;
  g.seed = seed;
  g.count = n;
  g.stores = 3;
  g.start_ms = 1714564800000;
  g.clock_rate = clock_rate;  // 1,000: spread over several minutes and windows
  Generator gen(&Catalog::builtin(), g);
  std::vector<std::string> out;
  GeneratedLine l;
  while (gen.next(&l)) {
    out.push_back("{\"type\":\"" + std::string(event_type_topic(l.type)) + "\"," +
                  l.json.substr(1));
  }
  return out;
}

// Lines [from, to) as the batch of one HTTP request (positions are the line indexes).
inline NdjsonBatch http_batch(const std::vector<std::string>& lines, size_t from, size_t to) {
  EventParser parser;
  NdjsonBatch b;
  for (size_t i = from; i < to; ++i) {
    add_line(&b, lines[i], std::nullopt, SourcePosition{SourceKind::kHttp, "http", 0, int64_t(i)},
             i, parser, 4096);
  }
  return b;
}

// Lines [from, to) submitted as one HTTP-like batch and applied by every shard; the offset after
// the batch.
inline uint64_t submit_lines(Engine& e, const std::vector<std::string>& lines, size_t from,
                             size_t to) {
  NdjsonBatch b = http_batch(lines, from, to);
  IngestAck ack = e.submit(std::move(b.batch)).get();
  EXPECT_TRUE(ack.status) << ack.status.to_string();
  EXPECT_TRUE(e.wait_applied(ack.next_offset, 10'000));
  return ack.next_offset;
}

}  // namespace ledgerflow::testing
