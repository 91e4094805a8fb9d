#pragma once
// CPU time per thread of this process, read from /proc, so that the benchmarks can say which
// thread group (consumer, log writer, shards, ...) spends what. Called by the bench thread only.
#include <functional>
#include <map>
#include <string>

namespace ledgerflow::cli {

struct ThreadCpu {
  std::string name;  // the thread's name (pthread_setname_np), e.g. "lf-log-writer"
  double cpu_s = 0;  // user + system seconds since the thread started
};

// Every thread of this process by thread id, from /proc/self/task/<tid>/stat (fields 14 and 15,
// in clock ticks: 10 ms resolution).
std::map<int, ThreadCpu> thread_cpu();

// CPU seconds used between two snapshots, summed per group; `group_of` names the group of a
// thread (by id and name). Threads that started after `before` count from zero.
std::map<std::string, double> cpu_by_group(
    const std::map<int, ThreadCpu>& before, const std::map<int, ThreadCpu>& after,
    const std::function<std::string(int tid, const std::string& name)>& group_of);

// {"group":seconds,...} with three decimals, groups in name order.
std::string cpu_groups_json(const std::map<std::string, double>& groups);

}  // namespace ledgerflow::cli
