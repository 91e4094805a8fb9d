#include "sources/kafka_client.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace ledgerflow {
namespace {

void log_cb(const rd_kafka_t* rk, int level, const char* fac, const char* buf) {
  // syslog levels: 0-3 error, 4 warning, 5-6 info, 7 debug.
  const char* name = rd_kafka_name(rk);
  std::string_view facility(fac);
  // Connection failures also reach error_cb: say them once. A property that applies to the
  // other client type ([kafka.properties] serves both) is not worth a warning.
  if (facility == "FAIL") return;
  if (facility == "CONFWARN") level = 7;
  if (level <= 3) {
    spdlog::error("kafka {} {}: {}", name, fac, buf);
  } else if (level == 4) {
    spdlog::warn("kafka {} {}: {}", name, fac, buf);
  } else if (level <= 6) {
    spdlog::info("kafka {} {}: {}", name, fac, buf);
  } else {
    spdlog::debug("kafka {} {}: {}", name, fac, buf);
  }
}

void error_cb(rd_kafka_t* rk, int err, const char* reason, void*) {
  auto e = rd_kafka_resp_err_t(err);
  if (e == RD_KAFKA_RESP_ERR__FATAL) {
    char why[512];
    rd_kafka_fatal_error(rk, why, sizeof why);
    spdlog::critical("kafka {}: fatal error: {}", rd_kafka_name(rk), why);
    return;
  }
  // Broker connection errors are transient: librdkafka reconnects and retries by itself.
  spdlog::warn("kafka {}: {} ({})", rd_kafka_name(rk), reason, rd_kafka_err2name(e));
}

Status set(rd_kafka_conf_t* conf, const std::string& key, const std::string& value) {
  char err[512];
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
    return Status::bad_input("invalid_kafka_property", fmt::format("{}: {}", key, err));
  }
  return Status::ok();
}

}  // namespace

Result<rd_kafka_conf_t*> make_kafka_conf(const KafkaClientSettings& s) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::map<std::string, std::string> all = s.defaults;
  all["bootstrap.servers"] = s.brokers;
  for (const auto& [k, v] : s.properties) all[k] = v;
  for (const auto& [k, v] : s.required) {
    auto it = s.properties.find(k);
    if (it != s.properties.end() && it->second != v) {
      spdlog::warn("kafka: property {}={} ignored: ledgerflow needs {}={} here", k, it->second, k,
                   v);
    }
    all[k] = v;
  }
  for (const auto& [k, v] : all) {
    if (Status st = set(conf, k, v); !st) {
      rd_kafka_conf_destroy(conf);
      return st;
    }
  }
  rd_kafka_conf_set_log_cb(conf, log_cb);
  rd_kafka_conf_set_error_cb(conf, error_cb);
  return conf;
}

Result<KafkaHandle> make_kafka_client(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (!rk) {
    rd_kafka_conf_destroy(conf);
    return Status::bad_input("kafka_client", err);
  }
  return KafkaHandle(rk);
}

Result<KafkaUrl> parse_kafka_url(const std::string& url) {
  const std::string scheme = "kafka://";
  if (url.compare(0, scheme.size(), scheme) != 0) {
    return Status::bad_input("bad_url", fmt::format("{}: expected kafka://HOST:PORT[/TOPIC]", url));
  }
  std::string rest = url.substr(scheme.size());
  KafkaUrl out;
  std::string query;
  if (size_t q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest.resize(q);
  }
  if (size_t slash = rest.find('/'); slash != std::string::npos) {
    out.topic = rest.substr(slash + 1);
    rest.resize(slash);
    if (out.topic.find('/') != std::string::npos) {
      return Status::bad_input("bad_url", fmt::format("{}: a topic name has no '/'", url));
    }
  }
  if (rest.empty()) return Status::bad_input("bad_url", fmt::format("{}: no broker address", url));
  out.brokers = rest;
  size_t pos = 0;
  while (pos < query.size()) {
    size_t amp = query.find('&', pos);
    std::string kv = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    pos = amp == std::string::npos ? query.size() : amp + 1;
    size_t eq = kv.find('=');
    std::string key = kv.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : kv.substr(eq + 1);
    if (key != "topics")
      return Status::bad_input("bad_url", fmt::format("{}: unknown parameter {}", url, key));
    size_t p = 0;
    while (p <= value.size()) {
      size_t comma = value.find(',', p);
      std::string t = value.substr(p, comma == std::string::npos ? std::string::npos : comma - p);
      if (!t.empty()) out.topics.push_back(t);
      if (comma == std::string::npos) break;
      p = comma + 1;
    }
  }
  return out;
}

rd_kafka_resp_err_t produce_copy(rd_kafka_t* rk, const std::string& topic, std::string_view key,
                                 std::string_view value, void* opaque) {
  rd_kafka_vu_t vu[5] = {};
  vu[0].vtype = RD_KAFKA_VTYPE_TOPIC;
  vu[0].u.cstr = topic.c_str();
  vu[1].vtype = RD_KAFKA_VTYPE_KEY;
  vu[1].u.mem = {const_cast<char*>(key.data()), key.size()};
  vu[2].vtype = RD_KAFKA_VTYPE_VALUE;
  vu[2].u.mem = {const_cast<char*>(value.data()), value.size()};
  vu[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  vu[3].u.i = RD_KAFKA_MSG_F_COPY;
  vu[4].vtype = RD_KAFKA_VTYPE_OPAQUE;
  vu[4].u.ptr = opaque;
  rd_kafka_error_t* error = rd_kafka_produceva(rk, vu, 5);
  if (error == nullptr) return RD_KAFKA_RESP_ERR_NO_ERROR;
  rd_kafka_resp_err_t code = rd_kafka_error_code(error);
  rd_kafka_error_destroy(error);
  return code;
}

}  // namespace ledgerflow
