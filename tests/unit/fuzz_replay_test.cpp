// The fuzz targets of tests/fuzz, replayed in every test run. `make fuzz` (clang and libFuzzer)
// explores; these tests keep what it found: every file in tests/fuzz/seeds (the seeds, and each
// input a fuzzer crash was ever minimized to, which goes there with its fix) goes through every
// target, and so do a fixed set of mutations of those seeds and of a few inputs built here (a
// log record, DataCo CSV rows). The targets check their own invariants (LF_ASSERT aborts); the
// ASan+UBSan build of these tests checks memory and undefined behaviour, with g++ instead of
// clang.
//
// Each target is compiled into this binary under its own name (tests/CMakeLists.txt renames
// LLVMFuzzerTestOneInput per file).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "ingest/event_parser.h"
#include "log/log_format.h"

extern "C" int fuzz_csv_one_input(const uint8_t* data, size_t size);
extern "C" int fuzz_event_parser_one_input(const uint8_t* data, size_t size);
extern "C" int fuzz_finance_event_parser_one_input(const uint8_t* data, size_t size);
extern "C" int fuzz_log_record_one_input(const uint8_t* data, size_t size);

namespace ledgerflow {
namespace {

namespace fs = std::filesystem;

struct Target {
  const char* name;
  int (*run)(const uint8_t*, size_t);
};
constexpr Target kTargets[] = {
    {"fuzz_csv", fuzz_csv_one_input},
    {"fuzz_event_parser", fuzz_event_parser_one_input},
    {"fuzz_finance_event_parser", fuzz_finance_event_parser_one_input},
    {"fuzz_log_record", fuzz_log_record_one_input},
};

// As `make fuzz` runs them (-max_len=4096).
constexpr size_t kMaxInputBytes = 4096;

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

std::vector<std::string> seed_files() {
  std::vector<fs::path> paths;
  for (const auto& e :
       fs::directory_iterator(fs::path(LEDGERFLOW_SOURCE_DIR) / "tests/fuzz/seeds")) {
    if (e.is_regular_file()) paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());  // a fixed order: the mutations below depend on it
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(read_file(p));
  return out;
}

// Inputs no seed file holds: each seed that parses as an event, encoded as a log record (the
// log-record target's only way past its checksum), and the head of the DataCo fixture (quoted
// fields, 53 columns).
std::vector<std::string> built_inputs() {
  std::vector<std::string> out;
  EventParser parser;
  uint64_t offset = 0;
  for (const std::string& seed : seed_files()) {
    LogRecord rec;
    if (!parser.parse(seed, std::nullopt, &rec.event)) continue;
    rec.raw = seed;
    rec.raw_size = uint32_t(seed.size());
    rec.offset = offset++;
    std::string bytes;
    logfmt::encode_record(rec, &bytes);
    out.push_back(bytes);
  }
  EXPECT_FALSE(out.empty()) << "no seed parses as an event";
  const std::string csv =
      read_file(fs::path(LEDGERFLOW_SOURCE_DIR) / "tests/data/dataco/fixture.csv");
  out.push_back(csv.substr(0, kMaxInputBytes));
  return out;
}

void run_all(const std::string& input) {
  const std::string_view in = std::string_view(input).substr(0, kMaxInputBytes);
  for (const Target& t : kTargets) {
    // A copy of exactly the input's size, so that ASan sees a read one byte past it.
    std::vector<uint8_t> bytes(in.begin(), in.end());
    SCOPED_TRACE(t.name);
    EXPECT_EQ(t.run(bytes.data(), bytes.size()), 0);
  }
}

// One random edit, or (one time in four) two to eight, of the kinds libFuzzer makes: flip a bit,
// set a byte (often one that means something to CSV, JSON or the log layout), insert, erase, repeat
// a range, cut.
std::string mutate(std::string s, std::mt19937_64& rng) {
  static constexpr char kSpecial[] = {'"',  ',', '\n', '\r', '{', '}', '[', ']',    ':',    '\\',
                                      '\0', ' ', '-',  '.',  '0', '9', 'e', '\xff', '\xc3', '\x80'};
  auto pick = [&](size_t n) { return n == 0 ? size_t(0) : size_t(rng() % n); };
  const int edits = rng() % 4 ? 1 : 2 + int(rng() % 7);  // mostly one, else up to eight
  for (int k = 0; k < edits; ++k) {
    const char byte = rng() % 2 ? kSpecial[pick(sizeof kSpecial)] : char(rng());
    switch (rng() % 6) {
      case 0:
        if (!s.empty()) s[pick(s.size())] ^= char(1u << (rng() % 8));
        break;
      case 1:
        if (!s.empty()) s[pick(s.size())] = byte;
        break;
      case 2:
        s.insert(s.begin() + std::ptrdiff_t(pick(s.size() + 1)), byte);
        break;
      case 3:
        if (!s.empty()) {
          const size_t at = pick(s.size());
          s.erase(at, 1 + pick(std::min<size_t>(16, s.size() - at)));
        }
        break;
      case 4:
        if (!s.empty()) {
          const size_t at = pick(s.size());
          const std::string piece = s.substr(at, 1 + pick(32));
          s.insert(pick(s.size() + 1), piece);
        }
        break;
      default:
        s.resize(pick(s.size() + 1));
    }
  }
  return s;
}

TEST(FuzzReplay, EveryTargetTakesEverySeedFileAndBuiltInput) {
  const std::vector<std::string> seeds = seed_files();
  ASSERT_FALSE(seeds.empty());
  for (const std::string& s : seeds) run_all(s);
  for (const std::string& b : built_inputs()) run_all(b);
}

TEST(FuzzReplay, EveryTargetTakesMutationsOfTheSeeds) {
  std::vector<std::string> inputs = seed_files();
  for (std::string& b : built_inputs()) inputs.push_back(std::move(b));
  std::mt19937_64 rng(20261129);
  EventParser parser;
  int accepted = 0;  // mutations that still parse as events: the targets got past validation
  for (int i = 0; i < 20000; ++i) {
    const std::string input = mutate(inputs[size_t(rng() % inputs.size())], rng);
    run_all(input);
    if (HasFailure()) return;  // the first failing input is the one to look at
    Event e;
    accepted += parser.parse(input, std::nullopt, &e).is_ok();
  }
  EXPECT_GT(accepted, 200) << "the mutations hardly ever make a valid event";
}

// The built log records are valid, so the log-record target decodes and re-encodes them whole
// (as they are, and where a mutation only appends bytes), not only refuses their checksum.
TEST(FuzzReplay, TheBuiltLogRecordsAreValid) {
  const std::vector<std::string> built = built_inputs();
  for (size_t i = 0; i + 1 < built.size(); ++i) {
    LogRecord rec;
    size_t consumed = 0;
    ASSERT_EQ(logfmt::decode_record(built[i], &rec, &consumed), logfmt::DecodeResult::kOk);
    EXPECT_EQ(consumed, built[i].size());
    EXPECT_EQ(rec.offset, i);
  }
}

}  // namespace
}  // namespace ledgerflow
