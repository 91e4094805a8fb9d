#pragma once
// The generated data set every benchmark runs on (`ledgerflow bench`, the Kafka and warehouse
// benches, bench/micro_bench): fixed seed, stores and start time so that runs and binaries
// compare.
#include <cstdint>

#include "sources/generator.h"

namespace ledgerflow {

inline GeneratorOptions bench_generator_options(uint64_t count) {
  GeneratorOptions g;
  g.seed = 7;
  g.count = count;
  g.stores = 4;
  g.start_ms = 1'714'564'800'000;  // 2024-05-01
  g.clock_rate = 1000;
  return g;
}

}  // namespace ledgerflow
