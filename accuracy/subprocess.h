// Internal: running a child process with a timeout (the accuracy evaluator's trainer or user
// command). Own process group, so that a timeout kills the whole tree; stdout and stderr go to
// files; stdin is /dev/null.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tandem::accuracy_detail {

struct SubprocessResult {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;  // when it exited normally
  int signal = 0;      // when a signal ended it
  double seconds = 0;
  std::string error;   // why it did not start
};

// Runs argv[0] (searched in PATH) with `extra_env` added to the environment. Never throws for
// the child's failures.
SubprocessResult run_subprocess(const std::vector<std::string>& argv,
                                const std::vector<std::pair<std::string, std::string>>& extra_env,
                                const std::string& stdout_file, const std::string& stderr_file,
                                double timeout_seconds);

// Kills the process group of every subprocess still running. Async-signal-safe: for the handler
// of a program that is being interrupted, so that no trainer outlives the search.
void kill_running_subprocesses();

// "exited with status 2", "exited with signal 11", "timed out after 5 s", "could not start: ..."
std::string describe_failure(const SubprocessResult& result, double timeout_seconds);

}  // namespace tandem::accuracy_detail
