#pragma once
// Starting programs without a shell (posix_spawn), so arguments reach them byte for byte.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace keyspace::test {

struct ProcessOutput {
  int exit_code = -1;  // -1 when the program did not exit normally
  std::string output;  // stdout and stderr, interleaved
};

// The executable `name` as found on PATH; nullopt when there is none.
std::optional<std::filesystem::path> find_on_path(const std::string& name);

// Starts `argv` (argv[0] a path) in the background with stdin from /dev/null and stdout/stderr
// appended to `log`. The child gets SIGTERM when the calling thread exits (PR_SET_PDEATHSIG), so
// call it from a thread that lives as long as the child should, normally the main thread.
pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& log);

// Runs `argv` to completion and captures what it prints.
ProcessOutput run(const std::vector<std::string>& argv);

// True when `pid` exited (and was reaped) within `bound`.
bool wait_for_exit(pid_t pid, std::chrono::milliseconds bound);

}  // namespace keyspace::test
