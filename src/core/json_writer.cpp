#include "core/json_writer.h"

#include <cmath>

#include <fmt/format.h>

namespace ledgerflow {

JsonWriter& JsonWriter::value(double v) {
  if (!std::isfinite(v)) return null();
  return raw(fmt::format("{:.6g}", v));
}

}  // namespace ledgerflow
