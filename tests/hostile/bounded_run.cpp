#include "bounded_run.hpp"

#include <cstdio>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace keyspace::test {
namespace {

std::string read_all(std::FILE* file) {
  std::string out;
  std::rewind(file);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) out.append(buffer, n);
  return out;
}

}  // namespace

BoundedResult run_bounded(const std::vector<std::string>& argv, std::size_t address_space_bytes,
                          std::chrono::milliseconds time_bound) {
  std::vector<char*> args;
  std::vector<std::string> storage = argv;
  for (std::string& arg : storage) args.push_back(arg.data());
  args.push_back(nullptr);
  std::FILE* log = std::tmpfile();  // a file, not a pipe: a child printing a lot cannot block
  if (log == nullptr) throw std::runtime_error("tmpfile failed");
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {  // only async-signal-safe calls until exec
    const rlimit as{address_space_bytes, address_space_bytes};
    const int in = ::open("/dev/null", O_RDONLY);
    if (::setrlimit(RLIMIT_AS, &as) != 0 || in < 0 || ::dup2(in, 0) < 0 || ::dup2(fileno(log), 1) < 0 ||
        ::dup2(fileno(log), 2) < 0) {
      ::_exit(127);
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  BoundedResult result;
  int status = 0;
  rusage usage{};
  // Polls rather than blocks so that a hang is killed at the bound; each round sleeps 5 ms.
  for (;;) {
    const pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    if (!result.timed_out && std::chrono::steady_clock::now() - start > time_bound) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.peak_rss_kib = usage.ru_maxrss;
  result.output = read_all(log);
  std::fclose(log);
  return result;
}

}  // namespace keyspace::test
