#pragma once
// Reads the bronze log forward from an offset while the engine keeps appending to it, without
// re-reading what it has passed: it keeps the open segment and byte position, reads new bytes
// in chunks and decodes whole records. It never reads at or past `end_offset`, the offset the
// caller knows to be completely written (the engine's log end), so a record being written is
// never seen half-way.
//
// Owned by one reader (the WarehouseWriter thread, or a command); not thread-safe. It only reads
// files: opening, repair and segment removal stay with the engine's BronzeLog.
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "log/log_record.h"

namespace ledgerflow {

class LogTailReader {
 public:
  explicit LogTailReader(std::string dir) : dir_(std::move(dir)) {}
  ~LogTailReader();
  LogTailReader(const LogTailReader&) = delete;
  LogTailReader& operator=(const LogTailReader&) = delete;

  // Positions the reader so that the next record read has offset `offset`.
  Status seek(uint64_t offset);
  // Appends records in [next_offset(), end_offset), at most `max_records`. kFatal on corruption.
  Status read(uint64_t end_offset, size_t max_records, std::vector<LogRecord>* out);
  uint64_t next_offset() const { return next_offset_; }

 private:
  Status open_segment_for(uint64_t offset);
  // Reads more bytes of the current segment into buf_; false at its end.
  Result<bool> fill();
  void close_segment();

  std::string dir_;
  int fd_ = -1;
  std::string segment_path_;
  uint64_t file_pos_ = 0;  // bytes of the segment consumed into buf_
  std::string buf_;        // unread bytes
  size_t buf_pos_ = 0;
  uint64_t next_offset_ = 0;
};

}  // namespace ledgerflow
