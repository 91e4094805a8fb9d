// Resolves the warehouse of `query` and `verify` (cli/commands.h WarehouseOptions).
#include "cli/warehouse_options.h"

#include "engine/engine_config.h"

namespace ledgerflow::cli {

Result<std::unique_ptr<sinks::WarehouseBackend>> open_readonly_warehouse(
    const WarehouseOptions& o) {
  EngineConfig config;
  if (!o.config_path.empty()) {
    if (Status s = load_config_file(o.config_path, &config); !s) return s;
  }
  if (!o.data_dir.empty()) config.data_dir = o.data_dir;
  if (!o.url.empty()) config.warehouse.url = o.url;
  Result<sinks::WarehouseTarget> target =
      sinks::parse_warehouse_url(config.warehouse.url, config.data_dir);
  if (!target) return target.status();
  return sinks::open_warehouse(*target, sinks::BackendMode::kReadOnly);
}

}  // namespace ledgerflow::cli
