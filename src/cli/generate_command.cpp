#include <chrono>
#include <cstdio>
#include <thread>

#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "core/event_time.h"

namespace ledgerflow::cli {

// NDJSON to stdout, one event per line with a "type" field so that the stream can be posted
// to /api/v1/events as it is.
int generate(const GenerateOptions& o) {
  Catalog catalog;
  if (!o.catalog_path.empty()) {
    Result<Catalog> c = Catalog::load_file(o.catalog_path);
    if (!c) {
      spdlog::error("{}", c.status().to_string());
      return 2;
    }
    catalog = std::move(c.value());
  } else {
    catalog = Catalog::builtin();
  }
  Generator gen(&catalog, o.generator);
  GeneratedLine line;
  std::string out;
  while (gen.next(&line)) {
    int64_t due = gen.due_ms();
    if (due > now_ms()) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      std::fflush(stdout);
      out.clear();
      std::this_thread::sleep_for(std::chrono::milliseconds(due - now_ms()));
    }
    // Insert the type after the opening brace.
    out += "{\"type\":\"";
    out += event_type_topic(line.type);
    out += "\",";
    out.append(line.json, 1);
    out += '\n';
    if (out.size() > (1 << 16)) {
      if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) return 0;  // reader gone
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return 0;
}

}  // namespace ledgerflow::cli
