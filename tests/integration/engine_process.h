#pragma once
// Runs the real ledgerflow binary as a child process for end-to-end tests: start it, learn its
// port from the first stdout line, talk HTTP to it, stop it with SIGTERM or kill it with SIGKILL.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "support/temp_dir.h"

namespace ledgerflow::testing {

class EngineProcess {
 public:
  // `args` follow the binary name, e.g. {"run", "--data-dir", dir, "--port", "0"}.
  explicit EngineProcess(std::vector<std::string> args, std::string log_path = "")
      : args_(std::move(args)), log_path_(std::move(log_path)) {}
  ~EngineProcess() { kill_hard(); }

  // Starts and waits for "listening on http://HOST:PORT/"; false on failure or timeout.
  bool start(int timeout_ms = 20000) {
    int out[2];
    if (::pipe(out) != 0) return false;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      if (!log_path_.empty()) {
        int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) ::dup2(fd, 2);
      }
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> argv;
      std::string bin = LEDGERFLOW_BINARY;
      argv.push_back(bin.data());
      for (auto& a : args_) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(bin.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    out_fd_ = out[0];
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    ::fcntl(out_fd_, F_SETFL, O_NONBLOCK);
    while (std::chrono::steady_clock::now() < deadline) {
      char c;
      ssize_t n = ::read(out_fd_, &c, 1);
      if (n == 1) {
        if (c == '\n') {
          auto p = line.find("listening on http://");
          if (p != std::string::npos) {
            auto colon = line.rfind(':');
            port_ = std::stoi(line.substr(colon + 1));
            return true;
          }
          line.clear();
        } else {
          line += c;
        }
        continue;
      }
      if (n == 0) return false;  // exited
      int status;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5, 0);
    c.set_read_timeout(60, 0);
    c.set_write_timeout(60, 0);
    return c;
  }

  // SIGTERM and wait; returns the exit status (or -1).
  int stop(int timeout_ms = 30000) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    return wait_exit(timeout_ms);
  }

  void kill_hard() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait_exit(10000);
    }
    if (out_fd_ >= 0) {
      ::close(out_fd_);
      out_fd_ = -1;
    }
  }

 private:
  int wait_exit(int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return -1;
  }

  std::vector<std::string> args_;
  std::string log_path_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
};

}  // namespace ledgerflow::testing
