#include "server/api_json.h"

#include <fmt/format.h>

#include "core/base64.h"
#include "core/event_time.h"

namespace ledgerflow::server {
namespace {

void time_field(JsonWriter& w, std::string_view key, int64_t ms) {
  w.key(key);
  if (ms == WatermarkTracker::kNone) {
    w.null();
  } else {
    w.value(format_iso8601(ms));
  }
}

// -1 means "not known": null.
void offset_field(JsonWriter& w, std::string_view key, int64_t v) {
  w.key(key);
  if (v < 0)
    w.null();
  else
    w.value(v);
}

void write_kafka(JsonWriter& w, const KafkaStats& k) {
  if (!k.consumer && !k.sink) {
    w.null();
    return;
  }
  w.begin_object();
  if (k.consumer) {
    w.field("group_id", k.group_id)
        .field("consumed", k.consumed)
        .field("skipped_redeliveries", k.skipped_redeliveries)
        .field("rebalances", k.rebalances)
        .field("commits_ok", k.commits_ok)
        .field("commits_failed", k.commits_failed);
    int64_t total_lag = 0;
    bool lag_known = !k.partitions.empty();
    w.key("partitions").begin_array();
    for (const KafkaPartitionStats& s : k.partitions) {
      w.begin_object().field("topic", s.topic).field("partition", int64_t(s.partition));
      offset_field(w, "logged_offset", s.logged_offset);
      offset_field(w, "next_offset", s.next_offset);
      offset_field(w, "committed_offset", s.committed_offset);
      offset_field(w, "high_watermark", s.high_watermark);
      offset_field(w, "lag", s.lag);
      w.end_object();
      if (s.lag < 0)
        lag_known = false;
      else
        total_lag += s.lag;
    }
    w.end_array();
    offset_field(w, "lag", lag_known ? total_lag : -1);
  }
  if (k.sink) {
    const KafkaSinkStats& s = k.sink_stats;
    w.key("sink")
        .begin_object()
        .field("inventory_topic", s.inventory_topic)
        .field("alerts_topic", s.alerts_topic)
        .field("produced", s.produced)
        .field("delivered", s.delivered)
        .field("failed", s.failed)
        .field("retried", s.retried)
        .field("in_flight", s.in_flight);
    w.key("last_error");
    if (s.last_error.empty())
      w.null();
    else
      w.value(s.last_error);
    w.end_object();
  }
  w.end_object();
}

}  // namespace

void write_inventory_row(JsonWriter& w, const InventoryRow& r) {
  w.begin_object()
      .field("store_id", int64_t(r.store_id))
      .field("prod_id", r.prod_id)
      .field("prod_name", r.prod_name)
      .field("total_sold", r.total_sold)
      .field("total_received", r.total_received)
      .field("unit_left", r.unit_left())
      .field("reorder_point", r.reorder_point)
      .field("below_reorder", r.below_reorder())
      .field("value_at_cost", r.value_at_cost())
      .field("regular_unit_price", r.regular_unit_price)
      .field("cost_price", r.cost_price)
      .field("revenue", r.revenue)
      .field("unknown_product", r.unknown_product);
  time_field(w, "last_event_time", r.last_event_ms);
  w.end_object();
}

void write_sales_window(JsonWriter& w, const SalesWindow& s, int64_t window_ms,
                        int64_t watermark_ms) {
  w.begin_object()
      .field("window_start", format_iso8601(s.start_ms))
      .field("window_start_ms", s.start_ms)
      .field("window_end_ms", s.start_ms + window_ms)
      .field("units", s.units_sold)
      .field("revenue", s.revenue)
      .field("sale_lines", s.sale_lines)
      .field("shipments", s.shipments)
      .field("units_received", s.units_received)
      .field("final",
             watermark_ms != WatermarkTracker::kNone && s.start_ms + window_ms <= watermark_ms)
      .field("version", s.version)
      .field("late_updates", s.late_updates)
      .end_object();
}

void write_shipment(JsonWriter& w, const Event& e) {
  w.begin_object()
      .field("id", e.id)
      .field("offset", e.offset)
      .field("store_id", int64_t(e.store_id))
      .field("prod_id", e.prod_id)
      .field("prod_name", e.prod_name.empty() ? fmt::format("product {}", e.prod_id) : e.prod_name)
      .field("units", e.units);
  time_field(w, "dt", e.event_time_ms);
  w.end_object();
}

void write_dead_letter(JsonWriter& w, const DeadLetter& d) {
  w.begin_object()
      .field("offset", d.offset)
      .field("reason", d.reason_code)
      .field("message", d.message)
      .field("source", source_kind_name(d.source.kind))
      .field("source_name", d.source.name.view())
      .field("partition", int64_t(d.source.partition))
      .field("position", d.source.position)
      .field("raw", d.raw)
      .field("raw_base64", base64(d.raw))
      .field("raw_size", uint64_t(d.raw_size))
      .field("raw_truncated", d.raw.size() < d.raw_size);
  time_field(w, "ingest_time", d.ingest_time_ms);
  w.end_object();
}

void write_pipeline(JsonWriter& w, const PipelineStats& p) {
  w.begin_object()
      .field("events_accepted", p.events_accepted)
      .field("events_applied", p.events_applied)
      .field("duplicates", p.duplicates)
      .field("events_per_s", p.events_per_s)
      .field("dead_letters", p.dead_letters)
      .field("late_events", p.late_updates + p.late_dropped)
      .field("late_updates", p.late_updates)
      .field("late_dropped", p.late_dropped);
  bool has_wm = p.watermark_ms != WatermarkTracker::kNone;
  time_field(w, "watermark", p.watermark_ms);
  w.key("watermark_ms");
  if (has_wm)
    w.value(p.watermark_ms);
  else
    w.null();
  w.key("watermark_lag_ms");
  if (has_wm)
    w.value(now_ms() - p.watermark_ms);
  else
    w.null();
  time_field(w, "max_event_time", p.max_event_time_ms);
  w.field("log_end_offset", p.log_end_offset)
      .field("applied_offset", p.applied_offset)
      .field("log_bytes_written", p.log_bytes);
  w.key("checkpoint_age_s");
  if (p.checkpoint_age_ms < 0)
    w.null();
  else
    w.value(double(p.checkpoint_age_ms) / 1000.0);
  w.field("checkpoint_offset", p.checkpoint_offset);
  w.key("queue_depths").begin_object().field("ingest", uint64_t(p.ingest_queue_depth));
  w.key("shards").begin_array();
  for (size_t d : p.shard_queue_depths) w.value(uint64_t(d));
  w.end_array().end_object();
  w.key("queue_capacity")
      .begin_object()
      .field("ingest", uint64_t(p.ingest_queue_capacity))
      .field("shard", uint64_t(p.shard_queue_capacity))
      .end_object();
  w.key("sinks").begin_array();
  for (const SinkStatus& s : p.sinks) {
    w.begin_object()
        .field("name", s.name)
        .field("target", s.target)
        .field("state", s.state)
        .field("message", s.message)
        .field("applied_offset", s.applied_offset)
        .field("lag_records", s.lag_records)
        .field("rows_loaded", s.rows_loaded)
        .field("retry_in_ms", s.retry_in_ms)
        .end_object();
  }
  w.end_array();
  w.key("dead_letters_by_reason").begin_object();
  for (const auto& [code, n] : p.dead_letters_by_reason) w.field(code, n);
  w.end_object();
  w.field("shards", uint64_t(p.shard_queue_depths.size()))
      .field("fsync", p.fsync)
      .field("uptime_s", double(p.uptime_ms) / 1000.0)
      .field("ready", p.ready);
  w.key("kafka");
  write_kafka(w, p.kafka);
  w.end_object();
}

void write_kpis(JsonWriter& w, const KpiSnapshot& k) {
  w.begin_object()
      .field("day", format_iso8601(k.day_start_ms).substr(0, 10))
      .field("revenue_today", k.revenue_today)
      .field("units_sold_today", k.units_today)
      .field("shipments_today", k.shipments_today)
      .field("units_received_today", k.units_received_today)
      .field("inventory_value_at_cost", k.inventory_value_at_cost)
      .field("below_reorder", k.below_reorder)
      .field("products", k.products)
      .field("events_per_s", k.events_per_s)
      .end_object();
}

void write_best_seller(JsonWriter& w, const BestSeller& b) {
  w.begin_object()
      .field("prod_id", b.prod_id)
      .field("prod_name", b.prod_name)
      .field("units", b.units)
      .field("revenue", b.revenue)
      .end_object();
}

std::string prometheus_metrics(const PipelineStats& p, const KpiSnapshot& k) {
  std::string out;
  auto metric = [&](const char* name, const char* type, const char* help, const std::string& value,
                    const std::string& labels = "") {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{}{} {}\n", name, help, name, type, name,
                       labels, value);
  };
  metric("ledgerflow_events_accepted_total", "counter", "Events written to the bronze log.",
         std::to_string(p.events_accepted));
  metric("ledgerflow_events_applied_total", "counter", "Events applied to state (not duplicates).",
         std::to_string(p.events_applied));
  metric("ledgerflow_duplicate_events_total", "counter", "Retried events recognised and ignored.",
         std::to_string(p.duplicates));
  out +=
      "# HELP ledgerflow_dead_letters_total Inputs refused, by reason.\n# TYPE "
      "ledgerflow_dead_letters_total counter\n";
  if (p.dead_letters_by_reason.empty()) out += "ledgerflow_dead_letters_total{reason=\"none\"} 0\n";
  for (const auto& [code, n] : p.dead_letters_by_reason) {
    out += fmt::format("ledgerflow_dead_letters_total{{reason=\"{}\"}} {}\n", code, n);
  }
  out +=
      "# HELP ledgerflow_late_events_total Events behind the watermark.\n# TYPE "
      "ledgerflow_late_events_total counter\n";
  out += fmt::format("ledgerflow_late_events_total{{kind=\"updated\"}} {}\n", p.late_updates);
  out += fmt::format("ledgerflow_late_events_total{{kind=\"dropped\"}} {}\n", p.late_dropped);
  metric("ledgerflow_events_per_second", "gauge", "Events logged per second (recent average).",
         fmt::format("{:.3f}", p.events_per_s));
  if (p.watermark_ms != WatermarkTracker::kNone) {
    metric("ledgerflow_watermark_seconds", "gauge", "Event-time watermark (Unix seconds).",
           fmt::format("{:.3f}", double(p.watermark_ms) / 1000.0));
  }
  metric("ledgerflow_log_end_offset", "gauge", "Next offset of the bronze log.",
         std::to_string(p.log_end_offset));
  metric("ledgerflow_applied_offset", "gauge", "Offset below which every record is applied.",
         std::to_string(p.applied_offset));
  if (!p.sinks.empty()) {
    out +=
        "# HELP ledgerflow_sink_lag_records Log records not yet in the sink.\n# TYPE "
        "ledgerflow_sink_lag_records gauge\n";
    for (const SinkStatus& s : p.sinks)
      out += fmt::format("ledgerflow_sink_lag_records{{sink=\"{}\"}} {}\n", s.name, s.lag_records);
    out +=
        "# HELP ledgerflow_sink_degraded 1 while the sink cannot write.\n# TYPE "
        "ledgerflow_sink_degraded gauge\n";
    for (const SinkStatus& s : p.sinks)
      out +=
          fmt::format("ledgerflow_sink_degraded{{sink=\"{}\"}} {}\n", s.name, s.degraded() ? 1 : 0);
  }
  metric(
      "ledgerflow_checkpoint_age_seconds", "gauge", "Age of the newest checkpoint (-1: none).",
      fmt::format("{:.3f}", p.checkpoint_age_ms < 0 ? -1.0 : double(p.checkpoint_age_ms) / 1000.0));
  out +=
      "# HELP ledgerflow_queue_depth Batches waiting in a queue.\n# TYPE ledgerflow_queue_depth "
      "gauge\n";
  out += fmt::format("ledgerflow_queue_depth{{queue=\"ingest\"}} {}\n", p.ingest_queue_depth);
  for (size_t i = 0; i < p.shard_queue_depths.size(); ++i) {
    out += fmt::format("ledgerflow_queue_depth{{queue=\"shard-{}\"}} {}\n", i,
                       p.shard_queue_depths[i]);
  }
  metric("ledgerflow_products_below_reorder", "gauge",
         "Product x store rows at or below reorder point.", std::to_string(k.below_reorder));
  metric("ledgerflow_inventory_value_at_cost", "gauge", "Inventory value at cost.",
         k.inventory_value_at_cost.to_string());
  metric("ledgerflow_ready", "gauge", "1 when the engine accepts writes.", p.ready ? "1" : "0");
  if (p.kafka.consumer) {
    out +=
        "# HELP ledgerflow_kafka_consumer_lag Messages behind the partition end (high watermark - "
        "next offset).\n"
        "# TYPE ledgerflow_kafka_consumer_lag gauge\n";
    for (const KafkaPartitionStats& s : p.kafka.partitions) {
      if (s.lag < 0) continue;
      out += fmt::format("ledgerflow_kafka_consumer_lag{{topic=\"{}\",partition=\"{}\"}} {}\n",
                         s.topic, s.partition, s.lag);
    }
    out +=
        "# HELP ledgerflow_kafka_logged_offset Highest offset of the partition in the bronze log.\n"
        "# TYPE ledgerflow_kafka_logged_offset gauge\n";
    for (const KafkaPartitionStats& s : p.kafka.partitions) {
      if (s.logged_offset < 0) continue;
      out += fmt::format("ledgerflow_kafka_logged_offset{{topic=\"{}\",partition=\"{}\"}} {}\n",
                         s.topic, s.partition, s.logged_offset);
    }
    metric("ledgerflow_kafka_consumed_total", "counter", "Kafka messages logged.",
           std::to_string(p.kafka.consumed));
    metric("ledgerflow_kafka_skipped_redeliveries_total", "counter",
           "Kafka messages at or below the logged offset, dropped.",
           std::to_string(p.kafka.skipped_redeliveries));
    out +=
        "# HELP ledgerflow_kafka_commits_total Offset commits by result.\n# TYPE "
        "ledgerflow_kafka_commits_total counter\n";
    out += fmt::format("ledgerflow_kafka_commits_total{{result=\"ok\"}} {}\n", p.kafka.commits_ok);
    out += fmt::format("ledgerflow_kafka_commits_total{{result=\"failed\"}} {}\n",
                       p.kafka.commits_failed);
    metric("ledgerflow_kafka_rebalances_total", "counter",
           "Consumer group assignments and revocations.", std::to_string(p.kafka.rebalances));
  }
  if (p.kafka.sink) {
    const KafkaSinkStats& s = p.kafka.sink_stats;
    out +=
        "# HELP ledgerflow_kafka_sink_messages_total Messages to the inventory and alert topics by "
        "outcome.\n"
        "# TYPE ledgerflow_kafka_sink_messages_total counter\n";
    out +=
        fmt::format("ledgerflow_kafka_sink_messages_total{{result=\"produced\"}} {}\n", s.produced);
    out += fmt::format("ledgerflow_kafka_sink_messages_total{{result=\"delivered\"}} {}\n",
                       s.delivered);
    out += fmt::format("ledgerflow_kafka_sink_messages_total{{result=\"failed\"}} {}\n", s.failed);
    out +=
        fmt::format("ledgerflow_kafka_sink_messages_total{{result=\"retried\"}} {}\n", s.retried);
    metric("ledgerflow_kafka_sink_in_flight", "gauge", "Messages awaiting a delivery report.",
           std::to_string(s.in_flight));
  }
  return out;
}

}  // namespace ledgerflow::server
