#include "cli/thread_cpu.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace ledgerflow::cli {

std::map<int, ThreadCpu> thread_cpu() {
  std::map<int, ThreadCpu> out;
  const double tick = double(::sysconf(_SC_CLK_TCK));
  std::error_code ec;
  for (const auto& d : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream f(d.path() / "stat");
    std::string s((std::istreambuf_iterator<char>(f)), {});
    // The name is in parentheses and may hold spaces: fields are counted after the last ')'.
    size_t open = s.find('('), close = s.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close + 2 > s.size()) continue;
    std::istringstream rest(s.substr(close + 2));  // from field 3 (state) on
    std::vector<std::string> fields(std::istream_iterator<std::string>(rest), {});
    if (fields.size() < 13) continue;
    out[std::atoi(d.path().filename().c_str())] = {
        s.substr(open + 1, close - open - 1),
        (std::atof(fields[11].c_str()) + std::atof(fields[12].c_str())) / tick};
  }
  return out;
}

std::map<std::string, double> cpu_by_group(
    const std::map<int, ThreadCpu>& before, const std::map<int, ThreadCpu>& after,
    const std::function<std::string(int tid, const std::string& name)>& group_of) {
  std::map<std::string, double> out;
  for (const auto& [tid, t] : after) {
    auto b = before.find(tid);
    out[group_of(tid, t.name)] += t.cpu_s - (b == before.end() ? 0 : b->second.cpu_s);
  }
  return out;
}

std::string cpu_groups_json(const std::map<std::string, double>& groups) {
  std::string out = "{";
  for (const auto& [group, secs] : groups) {
    out += fmt::format("{}\"{}\":{:.3f}", out.size() > 1 ? "," : "", group, secs);
  }
  return out + "}";
}

}  // namespace ledgerflow::cli
