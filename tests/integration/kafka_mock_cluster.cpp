// A librdkafka mock cluster in a process of its own, for the Kafka integration tests and for
// trying ledgerflow against "Kafka" by hand (no download, no JVM):
//
//   kafka_mock_cluster [--brokers N] [--topic NAME:PARTITIONS]...
//
// prints `bootstrap=HOST:PORT,...` on stdout once the brokers listen, then reads commands on
// stdin, one per line, answering `ok` or `error ...`:
//   down ID   take broker ID (1..N) down        up ID   bring it back
//   quit      exit (so do EOF on stdin and SIGTERM)
// The cluster lives exactly as long as this process.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <poll.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

}  // namespace

int main(int argc, char** argv) {
  int brokers = 3;
  std::vector<std::pair<std::string, int>> topics;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--brokers" && i + 1 < argc) {
      brokers = std::atoi(argv[++i]);
    } else if (a == "--topic" && i + 1 < argc) {
      std::string t = argv[++i];
      size_t colon = t.rfind(':');
      if (colon == std::string::npos) {
        topics.emplace_back(t, 1);
      } else {
        topics.emplace_back(t.substr(0, colon), std::atoi(t.c_str() + colon + 1));
      }
    } else {
      std::fprintf(stderr, "usage: %s [--brokers N] [--topic NAME:PARTITIONS]...\n", argv[0]);
      return 2;
    }
  }
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::signal(SIGPIPE, SIG_IGN);

  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    std::fprintf(stderr, "rd_kafka_new: %s\n", err);
    return 1;
  }
  rd_kafka_mock_cluster_t* mc = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mc) {
    std::fprintf(stderr, "cannot create the mock cluster\n");
    return 1;
  }
  for (const auto& [name, partitions] : topics) {
    int rf = brokers < 3 ? brokers : 3;
    if (rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(mc, name.c_str(), partitions, rf)) {
      std::fprintf(stderr, "topic %s: %s\n", name.c_str(), rd_kafka_err2str(e));
      return 1;
    }
  }
  std::printf("bootstrap=%s\n", rd_kafka_mock_cluster_bootstraps(mc));
  std::fflush(stdout);

  std::string line;
  while (!g_stop) {
    pollfd p{0, POLLIN, 0};
    int r = ::poll(&p, 1, 200);
    if (r <= 0) continue;
    char buf[256];
    ssize_t n = ::read(0, buf, sizeof buf);
    if (n <= 0) break;  // stdin closed: the test is gone
    line.append(buf, size_t(n));
    size_t nl;
    bool quit = false;
    while ((nl = line.find('\n')) != std::string::npos) {
      std::string cmd = line.substr(0, nl);
      line.erase(0, nl + 1);
      int id = 0;
      char word[32] = {0};
      if (std::sscanf(cmd.c_str(), "%31s %d", word, &id) < 1) continue;
      std::string w = word;
      rd_kafka_resp_err_t e = RD_KAFKA_RESP_ERR_NO_ERROR;
      if (w == "down") {
        e = rd_kafka_mock_broker_set_down(mc, id);
      } else if (w == "up") {
        e = rd_kafka_mock_broker_set_up(mc, id);
      } else if (w == "quit") {
        quit = true;
        break;
      } else {
        std::printf("error unknown command %s\n", w.c_str());
        std::fflush(stdout);
        continue;
      }
      if (e) {
        std::printf("error %s\n", rd_kafka_err2str(e));
      } else {
        std::printf("ok\n");
      }
      std::fflush(stdout);
    }
    if (quit) break;
  }
  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
