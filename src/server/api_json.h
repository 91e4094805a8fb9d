#pragma once
// JSON shapes of the /api/v1 resources, shared by the REST handlers and the live stream so
// that a row looks the same whichever way it reaches a client. Documented in docs/API.md.
#include "core/json_writer.h"
#include "engine/engine.h"

namespace ledgerflow::server {

void write_inventory_row(JsonWriter& w, const InventoryRow& r);
void write_sales_window(JsonWriter& w, const SalesWindow& s, int64_t window_ms,
                        int64_t watermark_ms);
void write_shipment(JsonWriter& w, const Event& e);
void write_dead_letter(JsonWriter& w, const DeadLetter& d);
void write_pipeline(JsonWriter& w, const PipelineStats& p);
void write_kpis(JsonWriter& w, const KpiSnapshot& k);
void write_best_seller(JsonWriter& w, const BestSeller& b);

// Prometheus text exposition format (version 0.0.4).
std::string prometheus_metrics(const PipelineStats& p, const KpiSnapshot& k);

}  // namespace ledgerflow::server
