#include "log/log_tail_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "log/log_format.h"

namespace ledgerflow {
namespace fs = std::filesystem;

namespace {

constexpr size_t kReadChunk = 1 << 20;

// The segment holding `offset`: the one with the largest base offset <= offset.
Result<std::string> segment_for(const std::string& dir, uint64_t offset) {
  std::error_code ec;
  std::string best;
  uint64_t best_base = 0;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 24 || name.substr(20) != ".seg") continue;
    uint64_t base = std::strtoull(name.substr(0, 20).c_str(), nullptr, 10);
    if (base <= offset && (best.empty() || base > best_base)) {
      best = entry.path().string();
      best_base = base;
    }
  }
  if (ec) return Status::retriable("io_error", fmt::format("list {}: {}", dir, ec.message()));
  if (best.empty())
    return Status::fatal("log_missing",
                         fmt::format("no log segment in {} holds offset {}", dir, offset));
  return best;
}

}  // namespace

LogTailReader::~LogTailReader() {
  close_segment();
}

void LogTailReader::close_segment() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buf_.clear();
  buf_pos_ = 0;
  file_pos_ = 0;
}

Status LogTailReader::open_segment_for(uint64_t offset) {
  close_segment();
  Result<std::string> path = segment_for(dir_, offset);
  if (!path) return path.status();
  fd_ = ::open(path->c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0)
    return Status::retriable("io_error", fmt::format("open {}: {}", *path, std::strerror(errno)));
  segment_path_ = *path;
  Result<bool> got = fill();
  if (!got) return got.status();
  uint64_t base = 0;
  if (buf_.size() < logfmt::kSegmentHeaderBytes || !logfmt::decode_segment_header(buf_, &base)) {
    return Status::fatal("log_corrupt",
                         fmt::format("segment {} has a damaged header", segment_path_));
  }
  buf_pos_ = logfmt::kSegmentHeaderBytes;
  next_offset_ = base;
  return Status::ok();
}

Result<bool> LogTailReader::fill() {
  if (buf_pos_ > 0) {
    buf_.erase(0, buf_pos_);
    buf_pos_ = 0;
  }
  size_t old = buf_.size();
  buf_.resize(old + kReadChunk);
  ssize_t n;
  do {
    n = ::pread(fd_, buf_.data() + old, kReadChunk, off_t(file_pos_));
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    buf_.resize(old);
    return Status::retriable("io_error",
                             fmt::format("read {}: {}", segment_path_, std::strerror(errno)));
  }
  buf_.resize(old + size_t(n));
  file_pos_ += uint64_t(n);
  return n > 0;
}

Status LogTailReader::seek(uint64_t offset) {
  if (Status s = open_segment_for(offset); !s) return s;
  std::vector<LogRecord> skipped;
  while (next_offset_ < offset) {
    skipped.clear();
    if (Status s = read(offset, 4096, &skipped); !s) return s;
    if (skipped.empty()) {
      return Status::fatal("log_missing", fmt::format("the log ends before offset {}", offset));
    }
  }
  return Status::ok();
}

Status LogTailReader::read(uint64_t end_offset, size_t max_records, std::vector<LogRecord>* out) {
  if (fd_ < 0 && next_offset_ < end_offset) {
    if (Status s = open_segment_for(next_offset_); !s) return s;
  }
  size_t taken = 0;
  while (taken < max_records && next_offset_ < end_offset) {
    LogRecord rec;
    size_t consumed = 0;
    auto r = logfmt::decode_record(std::string_view(buf_).substr(buf_pos_), &rec, &consumed);
    if (r == logfmt::DecodeResult::kOk) {
      if (rec.offset != next_offset_) {
        return Status::fatal("log_corrupt", fmt::format("{}: expected offset {}, found {}",
                                                        segment_path_, next_offset_, rec.offset));
      }
      buf_pos_ += consumed;
      ++next_offset_;
      out->push_back(std::move(rec));
      ++taken;
      continue;
    }
    if (r == logfmt::DecodeResult::kCorrupt) {
      return Status::fatal(
          "log_corrupt", fmt::format("{} is damaged near offset {}", segment_path_, next_offset_));
    }
    Result<bool> more = fill();
    if (!more) return more.status();
    if (!*more) {
      // This segment is exhausted: the next record (written, since it is below end_offset) is
      // at the start of the next segment.
      if (buf_pos_ < buf_.size()) {
        return Status::fatal("log_corrupt",
                             fmt::format("{} ends inside offset {}", segment_path_, next_offset_));
      }
      uint64_t expected = next_offset_;
      if (Status s = open_segment_for(expected); !s) return s;
      if (next_offset_ != expected) {
        return Status::fatal("log_missing",
                             fmt::format("no segment starts at offset {}", expected));
      }
    }
  }
  return Status::ok();
}

}  // namespace ledgerflow
