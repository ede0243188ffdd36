// Runs a command line through the shell and captures its exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "golden_file.h"

namespace tandem::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline ProcessResult run_process(const std::string& command) {
  static int counter = 0;
  const std::string err_file =
      "/tmp/tandem_test_stderr_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  ProcessResult result;
  FILE* pipe = ::popen((command + " 2>" + err_file).c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = read_text_file(err_file);
  std::remove(err_file.c_str());
  return result;
}

// The tandem binary under test (set by CMake).
inline std::string tandem_binary() { return TANDEM_BINARY; }

}  // namespace tandem::test
