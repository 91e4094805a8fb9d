#pragma once
// The warehouse SQL files (sql/migrations/*.sql, sql/gold/*.sql) compiled into the binary by
// cmake/EmbedAssets.cmake, so that the binary works from any directory. Paths look like
// "/migrations/001_silver.sql". Immutable; any thread.
#include <vector>

#include "server/embedded_assets.h"

namespace ledgerflow::sinks {

const std::vector<server::EmbeddedAsset>& embedded_sql();

}  // namespace ledgerflow::sinks
