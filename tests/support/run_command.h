#pragma once
// Runs a command (searched on PATH) in a child process and waits for it: its exit status (128 +
// the signal when one killed it) and what it wrote to stdout, and to stderr too when asked.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace ledgerflow::testing {

enum class Stderr { kInherit, kCapture };

inline int run_command(const std::vector<std::string>& args, std::string* out,
                       const std::string& stdin_file = "", Stderr err = Stderr::kInherit) {
  int pipefd[2];
  if (::pipe(pipefd) != 0) return -1;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    if (err == Stderr::kCapture) ::dup2(pipefd[1], 2);
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    if (!stdin_file.empty()) {
      int fd = ::open(stdin_file.c_str(), O_RDONLY);
      if (fd >= 0) ::dup2(fd, 0);
    }
    std::vector<char*> argv;
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(pipefd[1]);
  char buf[65536];
  ssize_t n;
  while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) {
    if (out) out->append(buf, size_t(n));
  }
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace ledgerflow::testing
