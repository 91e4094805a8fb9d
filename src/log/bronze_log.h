#pragma once
// The bronze write-ahead log: append-only segment files of checksummed records (layout in
// log_format.h). Opening repairs a torn tail and refuses corruption; appends are buffered by
// the caller into one write per group; sync() makes them durable.
//
// Owned by the Engine. Appends and sync run on the engine's log writer thread only; replay runs
// before that thread starts (or from a reader holding its own BronzeLog opened read-only).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "log/log_record.h"

namespace ledgerflow {

struct BronzeLogOptions {
  std::string dir;                       // the segments live here
  uint64_t segment_bytes = 64ull << 20;  // roll to a new segment past this size
};

struct LogOpenReport {
  uint64_t next_offset = 0;       // the offset the next appended record gets
  uint64_t torn_tail_bytes = 0;   // bytes cut from the end of the last segment
  std::string torn_tail_segment;  // which segment was cut ("" if none)
  size_t segments = 0;
};

class BronzeLog {
 public:
  explicit BronzeLog(BronzeLogOptions options);
  ~BronzeLog();
  BronzeLog(const BronzeLog&) = delete;
  BronzeLog& operator=(const BronzeLog&) = delete;

  // Scans the last segment, truncates a torn tail, refuses mid-log corruption (kFatal).
  Result<LogOpenReport> open();

  uint64_t next_offset() const { return next_offset_; }

  // Appends already-encoded records (logfmt::encode_record) whose offsets start at
  // next_offset() and are consecutive; `count` is how many records `encoded` holds.
  Status append(std::string_view encoded, uint64_t count);
  // fdatasync of the current segment (and of the directory after a roll).
  Status sync();

  // Calls fn for every record with offset >= from_offset, in order. Stops at the first error
  // fn returns. Corruption is reported as kFatal naming the segment and byte position.
  Status replay(uint64_t from_offset, const std::function<Status(const LogRecord&)>& fn) const;

  // Removes whole segments whose records are all below `offset` (after a checkpoint).
  Status remove_segments_before(uint64_t offset);

  uint64_t bytes_written() const { return bytes_written_; }

 private:
  struct Segment {
    uint64_t base_offset;
    std::string path;
  };
  Status list_segments();
  Status create_segment(uint64_t base_offset);
  Status recover_last_segment(LogOpenReport* report);
  Status sync_dir();

  BronzeLogOptions options_;
  std::vector<Segment> segments_;
  int fd_ = -1;  // current (last) segment, opened for append
  uint64_t current_size_ = 0;
  uint64_t next_offset_ = 0;
  uint64_t bytes_written_ = 0;
  bool dir_dirty_ = false;
};

// Reads a whole file; kRetriable on I/O errors.
Result<std::string> read_file(const std::string& path);
// Writes a file atomically: temp file, fsync, rename, fsync of the directory.
Status write_file_atomic(const std::string& path, std::string_view data);

}  // namespace ledgerflow
