#pragma once
// A throwaway PostgreSQL 15 cluster for tests: initdb in a temporary directory, started with
// pg_ctl on 127.0.0.1 at a free non-default port, as the unprivileged `postgres` user (via
// runuser when the tests run as root, as PostgreSQL refuses to run as root), stopped and removed
// when the object goes. The Debian package `postgresql` provides the binaries (scripts/setup.sh).
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/temp_dir.h"

namespace ledgerflow::testing {

class PostgresCluster {
 public:
  static constexpr const char* kBin = "/usr/lib/postgresql/15/bin";

  // Why a cluster cannot be started here ("" when it can).
  static std::string unavailable_reason() {
    if (!std::filesystem::exists(std::string(kBin) + "/pg_ctl"))
      return "PostgreSQL 15 is not installed";
    if (::geteuid() != 0) return "starting a cluster as user postgres needs root (runuser)";
    return "";
  }

  PostgresCluster() : port_(free_port()) {
    std::filesystem::permissions(dir_.str(), std::filesystem::perms::all);
    run("chown postgres:postgres " + dir_.str());
    ok_ = run(as_postgres("initdb -D " + data() +
                          " -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync") +
              " >" + dir_.sub("initdb.log") + " 2>&1") &&
          start();
  }
  ~PostgresCluster() { stop(); }
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  bool ok() const { return ok_; }
  int port() const { return port_; }
  std::string url() const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres";
  }
  std::string log_path() const { return dir_.sub("server.log"); }

  bool start() {
    return run(as_postgres("pg_ctl -D " + data() + " -l " + log_path() +
                           " -w -t 30 -o \"-c listen_addresses=127.0.0.1 -p " +
                           std::to_string(port_) + " -k " + dir_.str() + "\" start") +
               " >/dev/null 2>&1");
  }
  // Immediate shutdown: like a crash or a cut connection from the client's point of view.
  bool stop() {
    return run(as_postgres("pg_ctl -D " + data() + " -m immediate -w stop") + " >/dev/null 2>&1");
  }

 private:
  static bool run(const std::string& cmd) {
    return std::system(("cd /tmp && " + cmd).c_str()) == 0;
  }
  static std::string as_postgres(const std::string& cmd) {
    return std::string("runuser -u postgres -- ") + kBin + "/" + cmd;
  }
  static int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    int port = ntohs(a.sin_port);
    ::close(fd);
    return port;
  }
  std::string data() const { return dir_.sub("data"); }

  TempDir dir_;
  int port_;
  bool ok_ = false;
};

}  // namespace ledgerflow::testing
