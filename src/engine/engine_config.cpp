#include "engine/engine_config.h"

#include "core/event_time.h"

#include <cstdlib>
#include <functional>
#include <map>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace ledgerflow {

const char* fsync_policy_name(FsyncPolicy p) {
  switch (p) {
    case FsyncPolicy::kBatch:
      return "batch";
    case FsyncPolicy::kInterval:
      return "interval";
    case FsyncPolicy::kNone:
      return "none";
  }
  return "?";
}

bool fsync_policy_from_name(const std::string& name, FsyncPolicy* out) {
  if (name == "batch")
    *out = FsyncPolicy::kBatch;
  else if (name == "interval")
    *out = FsyncPolicy::kInterval;
  else if (name == "none")
    *out = FsyncPolicy::kNone;
  else
    return false;
  return true;
}

namespace {

using Setter = std::function<Status(const toml::node&)>;

template <typename T>
Setter int_setter(T* field, int64_t lo, int64_t hi, std::string key) {
  return [=](const toml::node& n) -> Status {
    auto v = n.value<int64_t>();
    if (!v || *v < lo || *v > hi) {
      return Status::bad_input("invalid_config",
                               fmt::format("{} must be an integer between {} and {}", key, lo, hi));
    }
    *field = T(*v);
    return Status::ok();
  };
}

Setter string_setter(std::string* field, std::string key) {
  return [=](const toml::node& n) -> Status {
    auto v = n.value<std::string>();
    if (!v) return Status::bad_input("invalid_config", key + " must be a string");
    *field = *v;
    return Status::ok();
  };
}

Setter string_list_setter(std::vector<std::string>* field, std::string key) {
  return [=](const toml::node& n) -> Status {
    const toml::array* a = n.as_array();
    if (!a) return Status::bad_input("invalid_config", key + " must be an array of strings");
    std::vector<std::string> out;
    for (const toml::node& item : *a) {
      auto v = item.value<std::string>();
      if (!v) return Status::bad_input("invalid_config", key + " must be an array of strings");
      out.push_back(*v);
    }
    *field = std::move(out);
    return Status::ok();
  };
}

Setter bool_setter(bool* field, std::string key) {
  return [=](const toml::node& n) -> Status {
    auto v = n.value<bool>();
    if (!v) return Status::bad_input("invalid_config", key + " must be true or false");
    *field = *v;
    return Status::ok();
  };
}

// Money from a TOML string ("10000.00") or integer; decimals as strings keep them exact.
Setter money_setter(Money* field, std::string key) {
  return [=](const toml::node& n) -> Status {
    Result<Money> m = Status::bad_input("invalid_config", "");
    if (auto i = n.value<int64_t>(); i && n.is_integer() && *i >= 0 && *i <= 1'000'000'000'000) {
      m = Money::from_units(*i);
    } else if (auto t = n.value<std::string>()) {
      m = Money::parse(*t);
    }
    if (!m || m->micros() < 0) {
      return Status::bad_input("invalid_config",
                               key + " must be a non-negative amount (a string like \"10000.00\")");
    }
    *field = *m;
    return Status::ok();
  };
}

Setter double_setter(double* field, double lo, double hi, std::string key) {
  return [=](const toml::node& n) -> Status {
    auto v = n.value<double>();
    if (!v || !(*v >= lo && *v <= hi)) {
      return Status::bad_input("invalid_config",
                               fmt::format("{} must be a number between {} and {}", key, lo, hi));
    }
    *field = *v;
    return Status::ok();
  };
}

// [finance]: every parameter of the finance rules (docs/CONFIG.md).
void add_finance_setters(FinanceConfig* f, std::string* as_of, std::map<std::string, Setter>* s) {
  auto& m = *s;
  m["finance.as_of"] = string_setter(as_of, "finance.as_of");
  m["finance.early_payment_budget"] =
      money_setter(&f->early_payment_budget, "finance.early_payment_budget");
  m["finance.hurdle_rate"] = double_setter(&f->hurdle_rate, 0, 100, "finance.hurdle_rate");
  m["finance.alerts_kept"] = int_setter(&f->alerts_kept, 1, 100'000'000, "finance.alerts_kept");
  m["finance.max_events"] = int_setter(&f->max_events, 1, 1'000'000'000, "finance.max_events");
  m["finance.duplicate.max_invoices_per_supplier"] =
      int_setter(&f->duplicate.max_invoices_per_supplier, 1, 1'000'000,
                 "finance.duplicate.max_invoices_per_supplier");
  m["finance.split.approval_threshold"] =
      money_setter(&f->split.approval_threshold, "finance.split.approval_threshold");
  m["finance.split.window_days"] =
      int_setter(&f->split.window_days, 1, 366, "finance.split.window_days");
  m["finance.split.min_invoices"] =
      int_setter(&f->split.min_invoices, 2, 1000, "finance.split.min_invoices");
  m["finance.split.retention_days"] =
      int_setter(&f->split.retention_days, 1, 3660, "finance.split.retention_days");
  m["finance.three_way.price_tolerance_bp"] =
      int_setter(&f->match.price_tolerance_bp, 0, 100'000, "finance.three_way.price_tolerance_bp");
  m["finance.three_way.quantity_tolerance_bp"] = int_setter(
      &f->match.quantity_tolerance_bp, 0, 100'000, "finance.three_way.quantity_tolerance_bp");
  m["finance.payment.bank_change_days"] =
      int_setter(&f->payment.bank_change_days, 0, 3660, "finance.payment.bank_change_days");
  m["finance.round.unit"] = money_setter(&f->round.round_unit, "finance.round.unit");
  m["finance.round.expected_share"] =
      double_setter(&f->round.expected_share, 0.0001, 0.9999, "finance.round.expected_share");
  m["finance.round.min_z"] = double_setter(&f->round.min_z, 0, 100, "finance.round.min_z");
  m["finance.round.min_count"] =
      int_setter(&f->round.min_count, 1, 1'000'000, "finance.round.min_count");
  m["finance.benford.min_count"] =
      int_setter(&f->benford.min_count, 1, 1'000'000, "finance.benford.min_count");
  m["finance.benford.min_amount"] =
      money_setter(&f->benford.min_amount, "finance.benford.min_amount");
  m["finance.benford.noise_multiple"] =
      double_setter(&f->benford.noise_multiple, 0, 100, "finance.benford.noise_multiple");
  m["finance.outlier.history_per_customer"] = int_setter(
      &f->outlier.history_per_customer, 2, 100'000, "finance.outlier.history_per_customer");
  m["finance.outlier.min_history"] =
      int_setter(&f->outlier.min_history, 2, 100'000, "finance.outlier.min_history");
  m["finance.outlier.threshold"] =
      double_setter(&f->outlier.threshold, 0.1, 1000, "finance.outlier.threshold");
  m["finance.velocity.max_orders"] =
      int_setter(&f->velocity.max_orders, 1, 1'000'000, "finance.velocity.max_orders");
  m["finance.velocity.window_ms"] =
      int_setter(&f->velocity.window_ms, 1000, int64_t(1) << 40, "finance.velocity.window_ms");
}

Setter choice_setter(std::string* field, std::string key, std::vector<std::string> choices) {
  return [=](const toml::node& n) -> Status {
    auto v = n.value<std::string>();
    std::string all;
    for (const std::string& c : choices) {
      if (v && *v == c) {
        *field = *v;
        return Status::ok();
      }
      all += (all.empty() ? "" : ", ") + c;
    }
    return Status::bad_input("invalid_config", fmt::format("{} must be one of {}", key, all));
  };
}

// [kafka.properties]: every value as librdkafka wants it (a string), environment expanded.
Status load_kafka_properties(const toml::table& t, std::map<std::string, std::string>* out) {
  for (const auto& [k, node] : t) {
    std::string key(k.str());
    std::string text;
    if (node.is_string()) {
      text = *node.value<std::string>();
    } else if (node.is_boolean()) {
      text = *node.value<bool>() ? "true" : "false";
    } else if (node.is_integer()) {
      text = std::to_string(*node.value<int64_t>());
    } else {
      return Status::bad_input(
          "invalid_config",
          fmt::format("kafka.properties.{} must be a string, integer or boolean", key));
    }
    std::string expanded;
    if (Status s = expand_env(text, &expanded); !s) {
      return Status::bad_input("invalid_config",
                               fmt::format("kafka.properties.{}: {}", key, s.message()));
    }
    (*out)[key] = expanded;
  }
  return Status::ok();
}

}  // namespace

Status expand_env(const std::string& value, std::string* out) {
  out->clear();
  size_t pos = 0;
  for (;;) {
    size_t start = value.find("${", pos);
    if (start == std::string::npos) break;
    size_t end = value.find('}', start + 2);
    if (end == std::string::npos) break;
    std::string name = value.substr(start + 2, end - start - 2);
    const char* v = std::getenv(name.c_str());
    if (!v)
      return Status::bad_input("missing_env",
                               fmt::format("environment variable {} is not set", name));
    out->append(value, pos, start - pos);
    out->append(v);
    pos = end + 1;
  }
  out->append(value, pos, std::string::npos);
  return Status::ok();
}

Status load_config_file(const std::string& path, EngineConfig* c) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::bad_input("invalid_config", fmt::format("{}: {}", path, e.description()));
  }
  std::map<std::string, Setter> setters = {
      {"data_dir", string_setter(&c->data_dir, "data_dir")},
      {"catalog", string_setter(&c->catalog_path, "catalog")},
      {"log.fsync_interval_ms",
       int_setter(&c->fsync_interval_ms, 1, 60'000, "log.fsync_interval_ms")},
      {"log.segment_bytes",
       int_setter(&c->segment_bytes, 1 << 16, int64_t(1) << 40, "log.segment_bytes")},
      {"engine.shards", int_setter(&c->shards, 1, 256, "engine.shards")},
      {"engine.ingest_queue_batches",
       int_setter(&c->ingest_queue_batches, 1, 1 << 20, "engine.ingest_queue_batches")},
      {"engine.shard_queue_batches",
       int_setter(&c->shard_queue_batches, 1, 1 << 20, "engine.shard_queue_batches")},
      {"engine.dedupe_window",
       int_setter(&c->shard.dedupe_window, 0, int64_t(1) << 32, "engine.dedupe_window")},
      {"engine.window_retention_ms", int_setter(&c->shard.window_retention_ms, 60'000,
                                                int64_t(1) << 42, "engine.window_retention_ms")},
      {"engine.checkpoint_interval_ms",
       int_setter(&c->checkpoint_interval_ms, 100, 86'400'000, "engine.checkpoint_interval_ms")},
      {"engine.checkpoints_kept",
       int_setter(&c->checkpoints_kept, 1, 100, "engine.checkpoints_kept")},
      {"watermark.out_of_orderness_ms",
       int_setter(&c->watermark.out_of_orderness_ms, 0, int64_t(1) << 40,
                  "watermark.out_of_orderness_ms")},
      {"watermark.idle_timeout_ms",
       int_setter(&c->watermark.idle_timeout_ms, 1, int64_t(1) << 40, "watermark.idle_timeout_ms")},
      {"dead_letters.kept", int_setter(&c->dead_letters_kept, 1, 1'000'000, "dead_letters.kept")},
      {"dead_letters.raw_bytes",
       int_setter(&c->dead_letter_raw_bytes, 0, 1 << 20, "dead_letters.raw_bytes")},
      {"ingest.idempotency_keys",
       int_setter(&c->idempotency_keys_kept, 0, 10'000'000, "ingest.idempotency_keys")},
      {"ingest.max_line_bytes",
       int_setter(&c->limits.max_line_bytes, 64, 1 << 30, "ingest.max_line_bytes")},
      {"marts.as_of", string_setter(&c->marts_as_of, "marts.as_of")},
      {"http.bind", string_setter(&c->http_bind, "http.bind")},
      {"http.port", int_setter(&c->http_port, 0, 65535, "http.port")},
      {"http.max_body_bytes",
       int_setter(&c->http_max_body_bytes, 1024, int64_t(1) << 32, "http.max_body_bytes")},
      {"http.max_lines", int_setter(&c->http_max_lines, 1, 100'000'000, "http.max_lines")},
      {"http.threads", int_setter(&c->http_threads, 2, 1024, "http.threads")},
      {"kafka.brokers", string_setter(&c->kafka.brokers, "kafka.brokers")},
      {"kafka.group_id", string_setter(&c->kafka.group_id, "kafka.group_id")},
      {"kafka.auto_offset_reset",
       choice_setter(&c->kafka.auto_offset_reset, "kafka.auto_offset_reset",
                     {"earliest", "latest", "error"})},
      {"kafka.max_batch_records",
       int_setter(&c->kafka.max_batch_records, 1, 1'000'000, "kafka.max_batch_records")},
      {"kafka.topics.sale", string_setter(&c->kafka.sale_topic, "kafka.topics.sale")},
      {"kafka.topics.shipment", string_setter(&c->kafka.shipment_topic, "kafka.topics.shipment")},
      {"kafka.topics.order_line",
       string_setter(&c->kafka.order_line_topic, "kafka.topics.order_line")},
      {"kafka.topics.events", string_list_setter(&c->kafka.event_topics, "kafka.topics.events")},
      {"kafka.sink.inventory_topic",
       string_setter(&c->kafka.inventory_topic, "kafka.sink.inventory_topic")},
      {"kafka.sink.alerts_topic", string_setter(&c->kafka.alerts_topic, "kafka.sink.alerts_topic")},
      {"kafka.sink.interval_ms",
       int_setter(&c->kafka.sink_interval_ms, 10, 3'600'000, "kafka.sink.interval_ms")},
      {"kafka.sink.key_store_id",
       choice_setter(&c->kafka.sink_key_store_id, "kafka.sink.key_store_id", {"auto", "always"})},
      {"warehouse.url", string_setter(&c->warehouse.url, "warehouse.url")},
      {"warehouse.enabled", bool_setter(&c->warehouse.enabled, "warehouse.enabled")},
      {"warehouse.batch_rows",
       int_setter(&c->warehouse.batch_rows, 1, 10'000'000, "warehouse.batch_rows")},
      {"warehouse.batch_interval_ms",
       int_setter(&c->warehouse.batch_interval_ms, 1, 3'600'000, "warehouse.batch_interval_ms")},
      {"warehouse.gold_interval_ms",
       int_setter(&c->warehouse.gold_interval_ms, 10, 3'600'000, "warehouse.gold_interval_ms")},
  };
  add_finance_setters(&c->shard.finance, &c->finance_as_of, &setters);
  DatacoFraudParams& df = c->dataco_fraud;
  setters["finance.dataco.min_orders"] =
      int_setter(&df.min_orders, 1, 1'000'000'000, "finance.dataco.min_orders");
  setters["finance.dataco.concentration"] =
      double_setter(&df.concentration, 1, 1000, "finance.dataco.concentration");
  setters["finance.dataco.min_excess"] =
      double_setter(&df.min_excess, 0, 1, "finance.dataco.min_excess");
  setters["finance.dataco.min_customer_fraud_orders"] = int_setter(
      &df.min_customer_fraud_orders, 1, 1'000'000, "finance.dataco.min_customer_fraud_orders");
  setters["finance.dataco.critical_share"] =
      double_setter(&df.critical_share, 0, 1, "finance.dataco.critical_share");
  setters["finance.dataco.max_customer_alerts"] =
      int_setter(&df.max_customer_alerts, 0, 1'000'000, "finance.dataco.max_customer_alerts");
  setters["finance.dataco.receivable_terms_days"] =
      int_setter(&c->dataco_receivable_terms_days, 0, 3650, "finance.dataco.receivable_terms_days");
  setters["reorder.window_days"] =
      int_setter(&c->reorder.window_days, 1, DailyDemand::kDays, "reorder.window_days");
  setters["reorder.service_level"] =
      double_setter(&c->reorder.service_level, 0.5, 0.9999, "reorder.service_level");
  setters["reorder.lead_time_days"] =
      double_setter(&c->reorder.lead_time_days, 0, 3650, "reorder.lead_time_days");
  setters["reorder.order_cost"] = money_setter(&c->reorder.order_cost, "reorder.order_cost");
  setters["reorder.holding_rate"] =
      double_setter(&c->reorder.holding_rate, 0, 10, "reorder.holding_rate");
  std::string fsync_name;
  setters["log.fsync"] = string_setter(&fsync_name, "log.fsync");
  Status result = Status::ok();
  std::function<void(const toml::table&, const std::string&)> walk =
      [&](const toml::table& t, const std::string& prefix) {
        for (const auto& [k, node] : t) {
          if (!result) return;
          std::string key =
              prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
          if (const toml::table* sub = node.as_table()) {
            if (key == "kafka.properties") {
              result = load_kafka_properties(*sub, &c->kafka.properties);
              if (!result) return;
              continue;
            }
            walk(*sub, key);
            continue;
          }
          auto it = setters.find(key);
          if (it == setters.end()) {
            result = Status::bad_input("invalid_config",
                                       fmt::format("{}: unknown key \"{}\"", path, key));
            return;
          }
          result = it->second(node);
        }
      };
  walk(root, "");
  if (!result) return result;
  if (!fsync_name.empty() && !fsync_policy_from_name(fsync_name, &c->fsync)) {
    return Status::bad_input("invalid_config", "log.fsync must be batch, interval or none");
  }
  if (!c->marts_as_of.empty()) {
    if (Result<int64_t> d = parse_date_days(c->marts_as_of); !d) {
      return Status::bad_input("invalid_config", "marts.as_of: " + d.status().message());
    }
  }
  if (!c->finance_as_of.empty()) {
    if (Result<int64_t> d = parse_date_days(c->finance_as_of); !d) {
      return Status::bad_input("invalid_config", "finance.as_of: " + d.status().message());
    }
  }
  if (c->shard.finance.split.retention_days < c->shard.finance.split.window_days) {
    return Status::bad_input(
        "invalid_config",
        "finance.split.retention_days must be at least finance.split.window_days");
  }
  if (const char* token = std::getenv("LEDGERFLOW_TOKEN")) c->http_token = token;
  std::string brokers;
  if (Status s = expand_env(c->kafka.brokers, &brokers); !s) {
    return Status::bad_input("invalid_config", "kafka.brokers: " + s.message());
  }
  c->kafka.brokers = brokers;
  return Status::ok();
}

}  // namespace ledgerflow
