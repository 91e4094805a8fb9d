#include "log/bronze_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "log/log_format.h"

namespace ledgerflow {
namespace fs = std::filesystem;

namespace {

Status io_error(const std::string& what, const std::string& path) {
  return Status::retriable("io_error", fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

Status write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOSPC) {
        return Status::fatal("disk_full", fmt::format("no space left writing {}", path));
      }
      return io_error("write", path);
    }
    data.remove_prefix(size_t(n));
  }
  return Status::ok();
}

std::string segment_name(uint64_t base) {
  return fmt::format("{:020}.seg", base);
}

}  // namespace

Result<std::string> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("open", path);
  std::string out;
  struct stat st;
  if (::fstat(fd, &st) == 0) out.reserve(size_t(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = io_error("read", path);
      ::close(fd);
      return s;
    }
    if (n == 0) break;
    out.append(buf, size_t(n));
  }
  ::close(fd);
  return out;
}

Status write_file_atomic(const std::string& path, std::string_view data) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("create", tmp);
  Status s = write_all(fd, data, tmp);
  if (s && ::fdatasync(fd) != 0) s = io_error("fsync", tmp);
  ::close(fd);
  if (!s) return s;
  if (::rename(tmp.c_str(), path.c_str()) != 0) return io_error("rename", tmp);
  std::string dir = fs::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return io_error("open dir", dir);
  int rc = ::fsync(dfd);
  ::close(dfd);
  if (rc != 0) return io_error("fsync dir", dir);
  return Status::ok();
}

BronzeLog::BronzeLog(BronzeLogOptions options) : options_(std::move(options)) {}

BronzeLog::~BronzeLog() {
  if (fd_ >= 0) ::close(fd_);
}

Status BronzeLog::list_segments() {
  segments_.clear();
  std::error_code ec;
  fs::create_directories(options_.dir, ec);
  if (ec)
    return Status::fatal("io_error",
                         fmt::format("cannot create {}: {}", options_.dir, ec.message()));
  for (const auto& entry : fs::directory_iterator(options_.dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() != 24 || name.substr(20) != ".seg") continue;
    if (!std::all_of(name.begin(), name.begin() + 20, [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    segments_.push_back({std::stoull(name.substr(0, 20)), entry.path().string()});
  }
  if (ec)
    return Status::fatal("io_error", fmt::format("cannot list {}: {}", options_.dir, ec.message()));
  std::sort(segments_.begin(), segments_.end(),
            [](const Segment& a, const Segment& b) { return a.base_offset < b.base_offset; });
  return Status::ok();
}

Status BronzeLog::create_segment(uint64_t base_offset) {
  if (fd_ >= 0) {
    if (::fdatasync(fd_) != 0) return io_error("fsync", segments_.back().path);
    ::close(fd_);
    fd_ = -1;
  }
  std::string path = (fs::path(options_.dir) / segment_name(base_offset)).string();
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) return io_error("create", path);
  Status s = write_all(fd_, logfmt::encode_segment_header(base_offset), path);
  if (!s) return s;
  segments_.push_back({base_offset, path});
  current_size_ = logfmt::kSegmentHeaderBytes;
  dir_dirty_ = true;
  return Status::ok();
}

Status BronzeLog::sync_dir() {
  int dfd = ::open(options_.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return io_error("open dir", options_.dir);
  int rc = ::fsync(dfd);
  ::close(dfd);
  if (rc != 0) return io_error("fsync dir", options_.dir);
  dir_dirty_ = false;
  return Status::ok();
}

Result<LogOpenReport> BronzeLog::open() {
  LogOpenReport report;
  if (Status s = list_segments(); !s) return s;
  if (segments_.empty()) {
    if (Status s = create_segment(0); !s) return s;
    if (Status s = sync_dir(); !s) return s;
    next_offset_ = 0;
  } else {
    if (Status s = recover_last_segment(&report); !s) return s;
  }
  report.next_offset = next_offset_;
  report.segments = segments_.size();
  return report;
}

// Walks the last segment record by record. The first record that is short or fails its
// checksum ends the valid prefix; if any valid record follows it the damage is in the middle
// (corruption, refused), otherwise it is a torn write at the tail and is cut off.
Status BronzeLog::recover_last_segment(LogOpenReport* report) {
  const Segment seg = segments_.back();
  Result<std::string> data = read_file(seg.path);
  if (!data) return data.status();
  std::string_view bytes = *data;
  uint64_t base = 0;
  if (!logfmt::decode_segment_header(bytes, &base) || base != seg.base_offset) {
    if (bytes.size() >= logfmt::kSegmentHeaderBytes && segments_.size() > 1) {
      return Status::fatal("log_corrupt", fmt::format("segment {} has a damaged header", seg.path));
    }
    // A segment whose header never fully reached the disk holds no records: recreate it.
    segments_.pop_back();
    report->torn_tail_bytes = bytes.size();
    report->torn_tail_segment = seg.path;
    if (Status s = create_segment(seg.base_offset); !s) return s;
    next_offset_ = seg.base_offset;
    return sync();
  }
  size_t pos = logfmt::kSegmentHeaderBytes;
  uint64_t expected = base;
  LogRecord rec;
  while (pos < bytes.size()) {
    size_t consumed = 0;
    logfmt::DecodeResult r = logfmt::decode_record(bytes.substr(pos), &rec, &consumed);
    if (r == logfmt::DecodeResult::kOk && rec.offset == expected) {
      pos += consumed;
      ++expected;
      continue;
    }
    for (size_t probe = pos + 1; probe + logfmt::kRecordHeaderBytes <= bytes.size(); ++probe) {
      if (logfmt::looks_like_valid_record(bytes.substr(probe), expected)) {
        return Status::fatal(
            "log_corrupt",
            fmt::format("segment {} is damaged at byte {} (offset {}) with valid records after "
                        "it; refusing to start. Move the segment aside to inspect it.",
                        seg.path, pos, expected));
      }
    }
    break;
  }
  if (pos < bytes.size()) {
    report->torn_tail_bytes = bytes.size() - pos;
    report->torn_tail_segment = seg.path;
    if (::truncate(seg.path.c_str(), off_t(pos)) != 0) return io_error("truncate", seg.path);
  }
  fd_ = ::open(seg.path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) return io_error("open", seg.path);
  if (report->torn_tail_bytes > 0 && ::fdatasync(fd_) != 0) return io_error("fsync", seg.path);
  current_size_ = pos;
  next_offset_ = expected;
  return Status::ok();
}

Status BronzeLog::append(std::string_view encoded, uint64_t count) {
  LF_ASSERT(fd_ >= 0);
  if (current_size_ >= options_.segment_bytes) {
    if (Status s = create_segment(next_offset_); !s) return s;
  }
  Status s = write_all(fd_, encoded, segments_.back().path);
  if (!s) return s;
  current_size_ += encoded.size();
  bytes_written_ += encoded.size();
  next_offset_ += count;
  return Status::ok();
}

Status BronzeLog::sync() {
  LF_ASSERT(fd_ >= 0);
  if (::fdatasync(fd_) != 0) return io_error("fsync", segments_.back().path);
  if (dir_dirty_) return sync_dir();
  return Status::ok();
}

Status BronzeLog::replay(uint64_t from_offset,
                         const std::function<Status(const LogRecord&)>& fn) const {
  for (size_t i = 0; i < segments_.size(); ++i) {
    const Segment& seg = segments_[i];
    if (i + 1 < segments_.size() && segments_[i + 1].base_offset <= from_offset) continue;
    Result<std::string> data = read_file(seg.path);
    if (!data) return data.status();
    std::string_view bytes = *data;
    uint64_t base = 0;
    if (!logfmt::decode_segment_header(bytes, &base) || base != seg.base_offset) {
      return Status::fatal("log_corrupt", fmt::format("segment {} has a damaged header", seg.path));
    }
    size_t pos = logfmt::kSegmentHeaderBytes;
    uint64_t expected = base;
    LogRecord rec;
    while (pos < bytes.size()) {
      size_t consumed = 0;
      if (logfmt::decode_record(bytes.substr(pos), &rec, &consumed) != logfmt::DecodeResult::kOk ||
          rec.offset != expected) {
        return Status::fatal(
            "log_corrupt",
            fmt::format("segment {} is damaged at byte {} (offset {})", seg.path, pos, expected));
      }
      pos += consumed;
      ++expected;
      if (rec.offset < from_offset) continue;
      if (Status s = fn(rec); !s) return s;
    }
  }
  return Status::ok();
}

Status BronzeLog::remove_segments_before(uint64_t offset) {
  // Segment i holds offsets [base_i, base_{i+1}); it can go when base_{i+1} <= offset.
  while (segments_.size() > 1 && segments_[1].base_offset <= offset) {
    if (::unlink(segments_.front().path.c_str()) != 0)
      return io_error("unlink", segments_.front().path);
    segments_.erase(segments_.begin());
  }
  return Status::ok();
}

}  // namespace ledgerflow
