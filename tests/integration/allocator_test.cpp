// The binary's allocator settings (src/cli/main.cpp): jemalloc backs the heap with transparent
// huge pages unless MALLOC_CONF says otherwise. Read back from jemalloc's own statistics, which
// it prints to stderr at exit when asked.
#include <gtest/gtest.h>

#include <string>

#include "support/run_command.h"

using ledgerflow::testing::run_command;
using ledgerflow::testing::Stderr;

namespace {

// jemalloc's "opt.thp" setting in the binary run with MALLOC_CONF=`conf` ("" if it printed none).
std::string thp_setting(const std::string& conf) {
  std::string out;
  const int rc = run_command({"env", "MALLOC_CONF=" + conf, LEDGERFLOW_BINARY, "--help"}, &out, "",
                             Stderr::kCapture);
  EXPECT_EQ(rc, 0) << out;
  const std::string key = "opt.thp: \"";
  const size_t at = out.find(key);
  if (at == std::string::npos) return "";
  const size_t begin = at + key.size();
  return out.substr(begin, out.find('"', begin) - begin);
}

}  // namespace

TEST(Allocator, BinaryAsksForHugePagesAndTheEnvironmentStillOverrides) {
  if (!LEDGERFLOW_BINARY_JEMALLOC) GTEST_SKIP() << "the binary is not linked with jemalloc";
  EXPECT_EQ(thp_setting("stats_print:true"), "always");
  EXPECT_EQ(thp_setting("thp:never,stats_print:true"), "never");
}
