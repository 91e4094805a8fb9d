#pragma once
// Checkpoint files: a snapshot of every shard and of the router state, all reflecting exactly
// the log records below `next_offset`. Written atomically (temp file, fsync, rename, fsync of
// the directory); the newest few are kept; a damaged one is skipped for the next older.
//
// File "checkpoint-<next_offset, 20 digits>.ckpt", format version 4, little-endian:
//   0   8  magic "LFCKPT01"
//   8   4  u32 format version (4; versions 1 to 3 are still loaded)
//   12  4  u32 shard count
//   16  8  u64 next offset (records below it are reflected)
//   24  8  i64 created at, ms since the Unix epoch
//   32  8  u64 body length
//   40  4  u32 CRC-32 (zlib) of the body
//   44  4  u32 CRC-32 (zlib) of bytes 0..43
//   48  .. body: str router state, then per shard: str shard state (str = u32 length + bytes)
// Version 2 appends the DataCo order-line marts (DatacoMarts::serialize) to each shard state;
// a version 1 shard state ends before them and loads with empty marts, which is exact since
// the binaries that wrote version 1 could not log order lines. Version 3 appends the finance
// ledger (FinanceLedger::serialize: the finance events it applied) and the daily demand per
// inventory row (InventoryState::serialize_demand) the same way; a version 2 shard state loads
// with an empty ledger, exact for the same reason, and no demand history (reorder reads then
// start from the sales after the upgrade). Version 4 appends the open DataCo receivables
// (DatacoMarts::serialize_receivables, byte layout there); a version 3 shard state loads with
// none, and since they cannot be rebuilt from the other marts (those keep no order day per
// customer), Engine::recover ignores a version 3 checkpoint whose shards hold order lines and
// rebuilds every shard from the whole log (which is never truncated) - once, at the upgrade.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace ledgerflow {

inline constexpr uint32_t kCheckpointVersion = 4;

struct CheckpointData {
  uint32_t version = kCheckpointVersion;  // of the file it was read from
  uint64_t next_offset = 0;
  int64_t created_ms = 0;
  std::string router_state;
  std::vector<std::string> shard_states;
};

struct CheckpointLoad {
  std::optional<CheckpointData> data;  // nullopt: no usable checkpoint
  std::vector<std::string> skipped;    // damaged files passed over, with the reason
};

Status write_checkpoint(const std::string& dir, const CheckpointData& data, int keep);
CheckpointLoad load_latest_checkpoint(const std::string& dir);

std::string encode_checkpoint(const CheckpointData& data);
Result<CheckpointData> decode_checkpoint(std::string_view bytes);

}  // namespace ledgerflow
