#include "sinks/kafka_upsert_sink.h"

#include <pthread.h>

#include <chrono>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/event_time.h"
#include "core/json_writer.h"
#include "engine/watermark.h"
#include "finance/finance_types.h"

namespace ledgerflow {

struct KafkaUpsertSink::Pending {
  bool alert = false;
  uint64_t row_key = 0;    // sale_info: the row to publish again on failure
  std::string key, value;  // alerts: the message to send again on failure
};

std::string sale_info_key(const InventoryRow& r, bool with_store) {
  JsonWriter w;
  w.begin_object().field("prod_id", r.prod_id);
  if (with_store) w.field("store_id", int64_t(r.store_id));
  w.end_object();
  return w.take();
}

std::string sale_info_value(const InventoryRow& r, bool with_store) {
  JsonWriter w;
  w.begin_object().field("prod_id", r.prod_id);
  if (with_store) w.field("store_id", int64_t(r.store_id));
  w.field("prod_name", r.prod_name)
      .field("regular_unit_price", r.regular_unit_price)
      .field("reorder_point", r.reorder_point)
      .field("total_sold", r.total_sold)
      .field("unit_left", r.unit_left())
      .end_object();
  return w.take();
}

namespace {

// An alert's API JSON with "kind" first.
std::string alert_message(std::string_view kind, const LedgerAlert& a,
                          const std::string& subject_name) {
  JsonWriter w;
  write_alert_json(w, a, subject_name);
  std::string body = w.take();
  return fmt::format(R"({{"kind":"{}",)", kind) + body.substr(1);
}

}  // namespace

std::string finance_alert_message(const LedgerAlert& a, const std::string& subject_name) {
  return alert_message("finance", a, subject_name);
}

std::string dataco_alert_message(const LedgerAlert& a) {
  return alert_message("dataco", a, a.subject);
}

std::string reorder_alert(const InventoryRow& r, const ReorderLine& line) {
  const finance::ReorderRecommendation& rec = line.rec;
  JsonWriter w;
  w.begin_object()
      .field("kind", "reorder")
      .field("store_id", int64_t(r.store_id))
      .field("prod_id", r.prod_id)
      .field("prod_name", r.prod_name)
      .field("unit_left", r.unit_left())
      .field("reorder_point", rec.reorder_point)
      .field("safety_stock", rec.safety_stock)
      .field("demand_mean", rec.demand.mean)
      .field("lead_time_days", line.lead_time_days)
      .field("lead_time_supplier", line.lead_time_supplier);
  if (rec.eoq) w.field("order_quantity", *rec.eoq);
  if (rec.stockout_day) w.field("stockout_day", finance::format_day(*rec.stockout_day));
  w.end_object();
  return w.take();
}

std::string low_stock_alert(const InventoryRow& r) {
  JsonWriter w;
  w.begin_object()
      .field("kind", "low_stock")
      .field("store_id", int64_t(r.store_id))
      .field("prod_id", r.prod_id)
      .field("prod_name", r.prod_name)
      .field("unit_left", r.unit_left())
      .field("reorder_point", r.reorder_point)
      .field("at", format_iso8601(r.last_event_ms))
      .end_object();
  return w.take();
}

KafkaUpsertSink::KafkaUpsertSink(Engine* engine, KafkaConfig config)
    : engine_(engine), config_(std::move(config)) {}

KafkaUpsertSink::~KafkaUpsertSink() {
  stop();
}

bool KafkaUpsertSink::with_store(const InventoryRow& r) const {
  return config_.sink_key_store_id == "always" || r.store_id != kDefaultStoreId;
}

Status KafkaUpsertSink::make_producer() {
  KafkaClientSettings s;
  s.brokers = config_.brokers;
  s.defaults = {
      {"client.id", "ledgerflow-sink"},
      {"linger.ms", "20"},
      // Java's partitioner: a key lands where Java producers and Kafka Streams put it too.
      {"partitioner", "murmur2_random"},
  };
  s.properties = config_.properties;
  s.required = {
      {"enable.idempotence", "true"},
      {"acks", "all"},
  };
  Result<rd_kafka_conf_t*> conf = make_kafka_conf(s);
  if (!conf) return conf.status();
  rd_kafka_conf_set_opaque(*conf, this);
  rd_kafka_conf_set_dr_msg_cb(*conf, &KafkaUpsertSink::delivery_cb);
  Result<KafkaHandle> rk = make_kafka_client(RD_KAFKA_PRODUCER, *conf);
  if (!rk) return rk.status();
  rk_ = std::move(rk.value());
  return Status::ok();
}

Status KafkaUpsertSink::start() {
  if (Status s = make_producer(); !s) return s;
  spdlog::info("kafka: publishing inventory to {} and alerts to {} every {} ms",
               config_.inventory_topic.empty() ? "(off)" : config_.inventory_topic,
               config_.alerts_topic.empty() ? "(off)" : config_.alerts_topic,
               config_.sink_interval_ms);
  started_ = true;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lf-kafka-out");
    run();
  });
  return Status::ok();
}

void KafkaUpsertSink::stop() {
  if (!started_.exchange(false)) return;
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  rk_.reset();
}

void KafkaUpsertSink::delivery_cb(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* self = static_cast<KafkaUpsertSink*>(opaque);
  std::unique_ptr<Pending> p(static_cast<Pending*>(m->_private));
  if (!m->err) {
    self->delivered_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  self->failed_.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard lock(self->error_mu_);
    self->last_error_ =
        fmt::format("{}: {}", rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
  }
  spdlog::warn("kafka sink: delivery to {} failed: {}; sending it again next interval",
               rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
  if (!p) return;
  if (p->alert) {
    self->alert_retry_.emplace_back(std::move(p->key), std::move(p->value));
  } else {
    self->dirty_.insert(p->row_key);
  }
}

void KafkaUpsertSink::produce(const std::string& topic, const std::string& key,
                              const std::string& value, Pending* p) {
  for (;;) {
    rd_kafka_resp_err_t err = produce_copy(rk_.get(), topic, key, value, p);
    if (!err) {
      produced_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && !stop_) {
      rd_kafka_poll(rk_.get(), 100);  // serve delivery reports until there is room
      continue;
    }
    // Not even queued: treat as a failed delivery, to be sent again next interval.
    failed_.fetch_add(1, std::memory_order_relaxed);
    {
      std::lock_guard lock(error_mu_);
      last_error_ = fmt::format("{}: {}", topic, rd_kafka_err2str(err));
    }
    spdlog::warn("kafka sink: cannot produce to {}: {}", topic, rd_kafka_err2str(err));
    if (p->alert) {
      alert_retry_.emplace_back(p->key, p->value);
    } else {
      dirty_.insert(p->row_key);
    }
    delete p;
    return;
  }
}

// At most 10,000 per pass, so one pass stays short after a restart over a long history.
void KafkaUpsertSink::add_finance_alerts(std::vector<std::pair<std::string, std::string>>* alerts) {
  std::vector<std::pair<std::string, std::string>> fresh =
      engine_->read_finance([&](const FinanceLedger& l) {
        std::vector<std::pair<std::string, std::string>> out;
        for (const LedgerAlert& a : l.alerts_after(finance_seq_, 10'000)) {
          out.emplace_back("finance-" + std::to_string(a.seq),
                           finance_alert_message(a, l.subject_name(a.subject)));
          finance_seq_ = a.seq;
        }
        return out;
      });
  for (auto& kv : fresh) alerts->push_back(std::move(kv));
}

// A DataCo suspected-fraud pattern when it appears (a transition, like reorder): judged again
// only when order lines were applied (the engine's snapshot merges the marts only then). A pattern
// that goes and comes back is sent again; after a restart the holding ones are sent again under the
// same keys (at least once).
void KafkaUpsertSink::add_dataco_alerts(std::vector<std::pair<std::string, std::string>>* alerts) {
  const std::shared_ptr<const Engine::DatacoSnapshot> snapshot = engine_->dataco_snapshot();
  if (snapshot->lines == dataco_lines_) return;
  dataco_lines_ = snapshot->lines;
  std::set<std::string> holding;
  for (const LedgerAlert& a : snapshot->patterns) {
    std::string key = dataco_alert_key(a);
    if (!dataco_alerted_.count(key)) alerts->emplace_back(key, dataco_alert_message(a));
    holding.insert(std::move(key));
  }
  dataco_alerted_ = std::move(holding);
}

int64_t KafkaUpsertSink::newest_event_day() const {
  PipelineStats p = engine_->pipeline();
  return floor_div(p.max_event_time_ms == WatermarkTracker::kNone ? now_ms() : p.max_event_time_ms,
                   kMsPerDay);
}

// A reorder alert when a row's recommendation turns to "reorder now" (docs/KAFKA.md): stock plus
// nothing on order has reached the reorder point from its own demand, before the projected
// stock-out. Judged when the row changes.
void KafkaUpsertSink::add_reorder_alert(const InventoryRow& row, uint64_t key, int64_t as_of_day,
                                        const ProductLeadTimes& lead_times,
                                        std::vector<std::pair<std::string, std::string>>* alerts) {
  std::optional<ReorderLine> line =
      recommend_for(row, engine_->config().reorder, as_of_day, &lead_times);
  bool now = line && line->rec.reorder_now;
  bool& was = reorder_now_[key];
  if (now && !was) {
    alerts->emplace_back(sale_info_key(row, with_store(row)), reorder_alert(row, *line));
  }
  was = now;
}

void KafkaUpsertSink::pass() {
  ChangeSet changes = engine_->changes_since(&cursor_);
  std::vector<std::pair<std::string, std::string>> alerts = std::move(alert_retry_);
  retried_.fetch_add(dirty_.size() + alerts.size(), std::memory_order_relaxed);
  alert_retry_.clear();
  const bool reorder = !config_.alerts_topic.empty() && !changes.inventory.empty();
  const int64_t as_of_day = reorder ? newest_event_day() : 0;
  const ProductLeadTimes lead_times = reorder ? engine_->product_lead_times() : ProductLeadTimes{};
  for (InventoryRow& row : changes.inventory) {
    uint64_t key = inventory_key(row.store_id, row.prod_id);
    bool below = row.below_reorder();
    bool& was = below_[key];
    if (below && !was && !config_.alerts_topic.empty()) {
      alerts.emplace_back(sale_info_key(row, with_store(row)), low_stock_alert(row));
    }
    was = below;
    if (reorder) add_reorder_alert(row, key, as_of_day, lead_times, &alerts);
    dirty_.insert(key);
    latest_[key] = std::move(row);
  }
  if (!config_.inventory_topic.empty()) {
    std::set<uint64_t> keys = std::move(dirty_);
    dirty_.clear();
    for (uint64_t key : keys) {
      const InventoryRow& row = latest_.at(key);
      auto* p = new Pending{false, key, {}, {}};
      produce(config_.inventory_topic, sale_info_key(row, with_store(row)),
              sale_info_value(row, with_store(row)), p);
    }
  } else {
    dirty_.clear();
  }
  if (!config_.alerts_topic.empty()) {
    add_finance_alerts(&alerts);
    add_dataco_alerts(&alerts);
  }
  for (auto& [key, value] : alerts) {
    auto* p = new Pending{true, 0, key, value};
    produce(config_.alerts_topic, key, value, p);
  }
  rd_kafka_poll(rk_.get(), 0);
}

void KafkaUpsertSink::run() {
  auto interval = std::chrono::milliseconds(config_.sink_interval_ms);
  auto next = std::chrono::steady_clock::now();
  while (!stop_) {
    if (std::chrono::steady_clock::now() >= next) {
      pass();
      next = std::chrono::steady_clock::now() + interval;
    }
    rd_kafka_poll(rk_.get(), 50);  // delivery reports
    char why[512];
    if (rd_kafka_fatal_error(rk_.get(), why, sizeof why)) {
      // An idempotent producer that hit a fatal error cannot go on: fail what it holds (each
      // comes back as dirty) and start a fresh producer.
      spdlog::error("kafka sink: producer failed ({}); starting a new one", why);
      rd_kafka_purge(rk_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      rd_kafka_poll(rk_.get(), 0);
      rk_.reset();
      while (!stop_) {
        if (make_producer()) break;
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
      if (!rk_) return;
    }
  }
  // Last changes: wait until the engine has applied what it logged, publish, and wait for the
  // brokers' acknowledgements.
  engine_->wait_applied(engine_->pipeline().log_end_offset, 10'000);
  pass();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    rd_kafka_flush(rk_.get(), 1000);
    if (rd_kafka_outq_len(rk_.get()) == 0 && dirty_.empty() && alert_retry_.empty()) break;
    if (!dirty_.empty() || !alert_retry_.empty()) pass();
  }
  if (int left = rd_kafka_outq_len(rk_.get()); left > 0 || !dirty_.empty()) {
    spdlog::warn(
        "kafka sink: stopping with {} messages undelivered; they are published again on the next "
        "start",
        left + int(dirty_.size()));
  }
}

void KafkaUpsertSink::fill_stats(KafkaStats* out) const {
  out->sink = true;
  KafkaSinkStats& s = out->sink_stats;
  s.inventory_topic = config_.inventory_topic;
  s.alerts_topic = config_.alerts_topic;
  s.produced = produced_.load();
  s.delivered = delivered_.load();
  s.failed = failed_.load();
  s.retried = retried_.load();
  uint64_t done = s.delivered + s.failed;
  s.in_flight = s.produced > done ? s.produced - done : 0;
  std::lock_guard lock(error_mu_);
  s.last_error = last_error_;
}

}  // namespace ledgerflow
