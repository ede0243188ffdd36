// Runs a command line through the shell (core/process.h) and captures its exit code, stdout and
// stderr.
#pragma once

#include <string>

#include "core/process.h"

namespace tandem::test {

using tandem::ProcessResult;

// `command` under /bin/sh -c; exit_code is -1 when a signal ended the shell.
inline ProcessResult run_process(const std::string& command) {
  return tandem::run_process({"/bin/sh", "-c", command});
}

// The tandem binary under test (set by CMake).
inline std::string tandem_binary() { return TANDEM_BINARY; }

}  // namespace tandem::test
