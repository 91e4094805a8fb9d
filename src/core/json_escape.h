#pragma once
// Minimal JSON string escaping for hot paths that build JSON by hand (generator, API rows).
// Invalid UTF-8 is replaced with U+FFFD so that output is always valid JSON.
#include <string>
#include <string_view>

namespace ledgerflow {

void append_json_string(std::string* out, std::string_view s);

inline std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(&out, s);
  return out;
}

}  // namespace ledgerflow
