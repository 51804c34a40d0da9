#pragma once
// Runs a program with a bound on its address space and its run time, and measures both. Beside
// tests/support's subprocess helpers because those neither set limits in the child nor report
// one child's peak memory (that needs wait4).

#include <chrono>
#include <string>
#include <vector>

namespace keyspace::test {

struct BoundedResult {
  int exit_code = -1;          // -1: killed by a signal (a crash, or the time bound)
  bool timed_out = false;
  std::string output;          // stdout and stderr
  std::chrono::milliseconds elapsed{0};
  long peak_rss_kib = 0;       // the child's maximum resident set size
};

BoundedResult run_bounded(const std::vector<std::string>& argv, std::size_t address_space_bytes,
                          std::chrono::milliseconds time_bound);

}  // namespace keyspace::test
