// Running another program, the one way tandem does it (Verilator, the simulators it builds,
// Yosys, nextpnr, pkg-config, the trainer, a user's accuracy command).
//
// The program is given as argv (no shell: a command that needs one is {"/bin/sh", "-c", text},
// its words quoted with shell_quote). It runs in its own process group, so that a timeout, or
// kill_running_processes() when tandem is interrupted, ends it together with everything it
// started. stdin is /dev/null; stdout and stderr go to files or are captured into strings.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tandem {

struct ProcessOptions {
  // Set in the child's environment, replacing a variable of the same name.
  std::vector<std::pair<std::string, std::string>> env;
  std::string directory;          // the child's working directory; empty: ours
  double timeout_seconds = 0;     // > 0: its process group is killed after this long
  std::string stdout_file;        // empty: captured into ProcessResult::out
  std::string stderr_file;        // empty: captured into ProcessResult::err
  bool stderr_to_stdout = false;  // stderr goes where stdout goes (2>&1); stderr_file unused
  bool stderr_inherited = false;  // stderr is ours (a child's progress for the user); stderr_file unused
};

struct ProcessResult {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;   // when it exited normally
  int signal = 0;       // when a signal ended it
  double seconds = 0;
  double timeout_seconds = 0;  // the timeout it ran under (for describe())
  std::string error;    // why it did not start ("PROGRAM: REASON"), or why waiting for it failed
  std::string out;      // stdout, when not sent to a file
  std::string err;      // stderr, when not sent to a file

  // Started, exited by itself with status 0.
  bool ok() const { return started && !timed_out && error.empty() && signal == 0 && exit_code == 0; }
  // "exited with status 2", "exited with signal 11", "timed out after 5 s", "could not start: ..."
  std::string describe() const;
};

// Runs argv[0] (searched in PATH unless it holds a '/') and waits for it. Never throws for the
// child's failures: they are in the result.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Kills the process group of every process that run_process is waiting for, then runs the
// interrupt command (below) and waits up to 10 s for it. Async-signal-safe: for a SIGINT/SIGTERM
// handler, so that an interrupted tandem leaves no child running.
void kill_running_processes();

// The command that kill_running_processes() runs to stop work tandem started elsewhere (e.g.
// `scancel` of a search's cluster jobs); empty: none. argv[0] is searched in PATH now, so that
// the handler only needs fork and execve. Call from normal code, never from a signal handler.
void set_interrupt_command(const std::vector<std::string>& argv);

// The full path of `program` as the shell's `command -v` finds it in PATH; empty when absent.
std::string find_program(const std::string& program);

// `word` as one word for /bin/sh: unchanged when it holds only characters the shell does not
// interpret, else in single quotes.
std::string shell_quote(const std::string& word);

// argv as a shell command line (each word shell_quote'd), for messages and logs.
std::string command_line(const std::vector<std::string>& argv);

}  // namespace tandem
