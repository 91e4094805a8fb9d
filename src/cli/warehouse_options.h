#pragma once
// Opening the warehouse for the `query` and `verify` commands (read-only). Caller's thread.
#include <memory>

#include "cli/commands.h"
#include "sinks/warehouse_backend.h"

namespace ledgerflow::cli {

Result<std::unique_ptr<sinks::WarehouseBackend>> open_readonly_warehouse(
    const WarehouseOptions& options);

}  // namespace ledgerflow::cli
