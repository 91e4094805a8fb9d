#pragma once
// How an output (the warehouse, later Kafka) is doing, for /readyz, /api/v1/pipeline and the
// dashboard. A sink publishes it through a provider the Engine calls at read time; plain values.
#include <cstdint>
#include <string>

namespace ledgerflow {

struct SinkStatus {
  std::string name;             // "warehouse"
  std::string target;           // where it writes (no secrets)
  std::string state;            // "starting", "ok", "catching_up", "degraded"
  std::string message;          // why it is degraded ("" otherwise)
  uint64_t applied_offset = 0;  // every log record below it is in the sink
  uint64_t lag_records = 0;     // log end - applied_offset
  uint64_t rows_loaded = 0;     // since start
  int64_t retry_in_ms = 0;      // degraded: time to the next attempt
  bool degraded() const { return state == "degraded"; }
};

}  // namespace ledgerflow
