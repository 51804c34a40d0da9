#pragma once
// Test code in several processes at once: fork, run a function in each child, collect exit codes.
// Children use only what they create themselves (their own keyspace::Client) and never gtest.

#include <chrono>
#include <csignal>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace keyspace::test {

// Runs body(i) for i in [0, n) in n child processes, each exiting with what body returns (100 when
// it throws), and waits for all of them within `bound`; a child still running then is killed.
// The exit codes in order, -1 for a child that did not exit normally.
inline std::vector<int> run_in_children(int n, std::chrono::milliseconds bound, const std::function<int(int)>& body) {
  std::vector<pid_t> pids;
  for (int i = 0; i < n; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      int code = 100;
      try {
        code = body(i);
      } catch (const std::exception&) {
      }
      ::_exit(code);  // no atexit handlers, no destructors of the parent's objects
    }
    pids.push_back(pid);
  }
  std::vector<int> codes(pids.size(), -1);
  std::vector<bool> done(pids.size());
  std::size_t left = 0;
  for (std::size_t i = 0; i < pids.size(); ++i) {
    done[i] = pids[i] < 0;  // fork failed: reported as -1
    if (!done[i]) ++left;
  }
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (left > 0) {
    for (std::size_t i = 0; i < pids.size(); ++i) {
      int status = 0;
      if (done[i] || ::waitpid(pids[i], &status, WNOHANG) != pids[i]) continue;
      done[i] = true;
      --left;
      codes[i] = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    if (left > 0 && std::chrono::steady_clock::now() > deadline) {
      for (std::size_t i = 0; i < pids.size(); ++i) {
        if (!done[i]) ::kill(pids[i], SIGKILL);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return codes;
}

}  // namespace keyspace::test
