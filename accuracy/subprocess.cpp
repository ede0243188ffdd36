#include "accuracy/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <atomic>
#include <chrono>
#include <cstring>
#include <sstream>
#include <thread>

extern char** environ;

namespace tandem::accuracy_detail {
namespace {

// The process groups of running subprocesses, for kill_running_subprocesses(). A fixed array of
// atomics, because a signal handler may read it.
constexpr int kMaxRunning = 256;
std::atomic<pid_t> running[kMaxRunning];

int remember_running(pid_t pid) {
  for (int i = 0; i < kMaxRunning; ++i) {
    pid_t free_slot = 0;
    if (running[i].compare_exchange_strong(free_slot, pid)) return i;
  }
  return -1;  // more than kMaxRunning at once: not killed on interruption, still on timeout
}

}  // namespace

void kill_running_subprocesses() {
  for (auto& slot : running) {
    const pid_t pid = slot.load();
    if (pid > 0) kill(-pid, SIGKILL);
  }
}

SubprocessResult run_subprocess(const std::vector<std::string>& argv,
                                const std::vector<std::pair<std::string, std::string>>& extra_env,
                                const std::string& stdout_file, const std::string& stderr_file,
                                double timeout_seconds) {
  SubprocessResult result;
  // The environment: ours, with the extra variables replacing any of the same name.
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    bool replaced = false;
    for (const auto& [name, value] : extra_env) replaced |= entry.rfind(name + "=", 0) == 0;
    if (!replaced) env.push_back(entry);
  }
  for (const auto& [name, value] : extra_env) env.push_back(name + "=" + value);
  std::vector<char*> env_pointers, argv_pointers;
  for (auto& entry : env) env_pointers.push_back(entry.data());
  env_pointers.push_back(nullptr);
  std::vector<std::string> args = argv;
  for (auto& arg : args) argv_pointers.push_back(arg.data());
  argv_pointers.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Own process group (pgid = child pid): a timeout kills the child and everything it started.
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);

  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, argv_pointers[0], &actions, &attributes,
                                       argv_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawn_error != 0) {
    result.error = argv.front() + ": " + std::strerror(spawn_error);
    return result;
  }
  result.started = true;
  const int slot = remember_running(pid);
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  int status = 0;
  auto sleep = std::chrono::milliseconds(2);
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      result.error = std::string("waitpid: ") + std::strerror(errno);
      break;
    }
    if (elapsed() > timeout_seconds) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(sleep);
    sleep = std::min(sleep * 2, std::chrono::milliseconds(50));
  }
  // Whatever the child's own children left running in its group goes too.
  kill(-pid, SIGKILL);
  if (slot >= 0) running[slot].store(0);
  result.seconds = elapsed();
  if (!result.timed_out && result.error.empty()) {
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  }
  return result;
}

std::string describe_failure(const SubprocessResult& result, double timeout_seconds) {
  std::ostringstream text;
  if (!result.started) text << "could not start: " << result.error;
  else if (result.timed_out) text << "timed out after " << timeout_seconds << " s";
  else if (!result.error.empty()) text << result.error;
  else if (result.signal != 0) text << "exited with signal " << result.signal;
  else text << "exited with status " << result.exit_code;
  return text.str();
}

}  // namespace tandem::accuracy_detail
