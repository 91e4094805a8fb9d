#include "cli/kafka_tool_producer.h"

#include <fmt/format.h>

#include "engine/engine_config.h"

namespace ledgerflow::cli {

Status KafkaToolProducer::start(const std::string& brokers,
                                const std::map<std::string, std::string>& properties) {
  KafkaClientSettings s;
  s.brokers = brokers;
  s.defaults = {
      {"client.id", "ledgerflow-tool"},
      {"linger.ms", "20"},
      {"batch.num.messages", "10000"},
      {"queue.buffering.max.messages", "1000000"},
      {"partitioner", "murmur2_random"},
      {"enable.idempotence", "true"},
      {"acks", "all"},
  };
  s.properties = properties;
  Result<rd_kafka_conf_t*> conf = make_kafka_conf(s);
  if (!conf) return conf.status();
  rd_kafka_conf_set_opaque(*conf, this);
  rd_kafka_conf_set_dr_msg_cb(*conf, &KafkaToolProducer::delivery_cb);
  Result<KafkaHandle> rk = make_kafka_client(RD_KAFKA_PRODUCER, *conf);
  if (!rk) return rk.status();
  rk_ = std::move(rk.value());
  return Status::ok();
}

void KafkaToolProducer::delivery_cb(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* self = static_cast<KafkaToolProducer*>(opaque);
  if (m->err) {
    ++self->failed_;
    self->last_error_ =
        fmt::format("{}: {}", rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
  } else {
    ++self->delivered_;
  }
}

bool KafkaToolProducer::produce(const std::string& topic, std::string_view key,
                                std::string_view value) {
  for (;;) {
    rd_kafka_resp_err_t err = produce_copy(rk_.get(), topic, key, value);
    if (!err) {
      ++queued_;
      return true;
    }
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(rk_.get(), 50);
      continue;
    }
    ++failed_;
    ++not_queued_;
    last_error_ = fmt::format("{}: {}", topic, rd_kafka_err2str(err));
    return false;
  }
}

void KafkaToolProducer::flush(int timeout_ms) {
  rd_kafka_flush(rk_.get(), timeout_ms);
}

Status parse_properties(const std::vector<std::string>& kv,
                        std::map<std::string, std::string>* out) {
  for (const std::string& item : kv) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::bad_input("bad_property", fmt::format("-X {}: expected key=value", item));
    }
    std::string value;
    if (Status s = expand_env(item.substr(eq + 1), &value); !s) return s;
    (*out)[item.substr(0, eq)] = value;
  }
  return Status::ok();
}

}  // namespace ledgerflow::cli
