#pragma once
// What every librdkafka client of ledgerflow shares (the Kafka source, the Kafka sinks, the
// generate/ingest tools, the bench): building a configuration from KafkaConfig (defaults, then
// the operator's [kafka.properties], then the settings correctness depends on), logging into
// spdlog, and the kafka://HOST:PORT[,HOST:PORT][/TOPIC][?topics=a,b] addresses of the CLI.
#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ledgerflow {

struct RdKafkaDestroy {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, RdKafkaDestroy>;

struct KafkaClientSettings {
  std::string brokers;
  std::map<std::string, std::string> defaults;    // ours; the operator's properties override them
  std::map<std::string, std::string> properties;  // the operator's, passed through verbatim
  std::map<std::string, std::string> required;    // what correctness depends on; always wins
};

// A configuration with spdlog logging and error reporting installed. The caller owns it until
// it hands it to rd_kafka_new (which takes ownership on success).
Result<rd_kafka_conf_t*> make_kafka_conf(const KafkaClientSettings& s);

// rd_kafka_new around make_kafka_conf.
Result<KafkaHandle> make_kafka_client(rd_kafka_type_t type, rd_kafka_conf_t* conf);

// Produces one message, key and value copied, with `opaque` handed to the delivery report.
// rd_kafka_produceva rather than rd_kafka_producev: the RD_KAFKA_V_* macros use GNU statement
// expressions, which clang refuses under -Wpedantic -Werror (the fuzz build).
rd_kafka_resp_err_t produce_copy(rd_kafka_t* rk, const std::string& topic, std::string_view key,
                                 std::string_view value, void* opaque = nullptr);

struct KafkaUrl {
  std::string brokers;              // "host:port,host:port"
  std::string topic;                // the path, if any
  std::vector<std::string> topics;  // ?topics=a,b
};
// Parses kafka://HOST:PORT[,HOST:PORT...][/TOPIC][?topics=a,b].
Result<KafkaUrl> parse_kafka_url(const std::string& url);

}  // namespace ledgerflow
