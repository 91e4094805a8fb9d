#pragma once
// A progress line on stderr for long commands: redrawn in place on a terminal, one line per
// 10% otherwise (logs stay readable). Single-threaded.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include <fmt/format.h>

namespace ledgerflow::cli {

class Progress {
 public:
  // `total` 0: unknown (no bar, counts only).
  Progress(std::string what, uint64_t total)
      : what_(std::move(what)),
        total_(total),
        tty_(::isatty(2) == 1),
        start_(std::chrono::steady_clock::now()) {}

  // `done` units of `total`; `extra` follows the bar (e.g. delivered / failed counts).
  void update(uint64_t done, const std::string& extra, bool force = false) {
    auto now = std::chrono::steady_clock::now();
    if (tty_) {
      if (!force && now - last_ < std::chrono::milliseconds(200)) return;
      last_ = now;
      std::fprintf(stderr, "\r%s %s", line(done).c_str(), extra.c_str());
      std::fflush(stderr);
      drawn_ = true;
      return;
    }
    int tenth = total_ > 0 ? int(done * 10 / total_) : int(done / 100000);
    if (!force && tenth == last_tenth_) return;
    last_tenth_ = tenth;
    std::fprintf(stderr, "%s %s\n", line(done).c_str(), extra.c_str());
  }
  void finish() {
    if (tty_ && drawn_) std::fputc('\n', stderr);
  }

 private:
  // Units per second since the start, and the time left at that pace.
  std::string pace(uint64_t done) const {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    double rate = secs > 0 ? double(done) / secs : 0;
    std::string out = fmt::format(" {:.0f}/s", rate);
    if (total_ > 0 && rate > 0 && done <= total_)
      out += fmt::format(" ETA {:.0f}s", double(total_ - done) / rate);
    return out;
  }
  std::string line(uint64_t done) const {
    if (total_ == 0) return fmt::format("{}: {}{}", what_, done, pace(done));
    int width = 30;
    int filled = int(double(done) / double(total_) * width);
    if (filled > width) filled = width;
    return fmt::format("{}: [{}{}] {:3.0f}% {}/{}{}", what_, std::string(size_t(filled), '#'),
                       std::string(size_t(width - filled), '.'),
                       100.0 * double(done) / double(total_), done, total_, pace(done));
  }
  std::string what_;
  uint64_t total_;
  bool tty_;
  bool drawn_ = false;
  int last_tenth_ = -1;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace ledgerflow::cli
