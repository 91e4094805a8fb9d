#pragma once
// Generated seed-format events as typed NDJSON lines (`{"type":"sale_transaction",...}`), for
// tests that post or submit them: 3 stores from 2024-05-01, 1,000 events per simulated second.
#include <string>
#include <vector>

#include "ingest/catalog.h"
#include "sources/generator.h"

namespace ledgerflow::testing {

inline std::vector<std::string> generated_lines(size_t n, uint64_t seed) {
  GeneratorOptions g;
  g.seed = seed;
  g.count = n;
  g.stores = 3;
  g.start_ms = 1714564800000;
  g.clock_rate = 1000;  // spread over several minutes and windows
  Generator gen(&Catalog::builtin(), g);
  std::vector<std::string> out;
  GeneratedLine l;
  while (gen.next(&l)) {
    out.push_back("{\"type\":\"" + std::string(event_type_topic(l.type)) + "\"," +
                  l.json.substr(1));
  }
  return out;
}

}  // namespace ledgerflow::testing
