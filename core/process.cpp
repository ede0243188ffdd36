#include "core/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

extern char** environ;

namespace tandem {
namespace {

// The process groups of running children, for kill_running_processes(). A fixed array of
// atomics, because a signal handler reads it.
constexpr int kMaxRunning = 256;
std::atomic<pid_t> running[kMaxRunning];

int remember_running(pid_t pid) {
  for (int i = 0; i < kMaxRunning; ++i) {
    pid_t free_slot = 0;
    if (running[i].compare_exchange_strong(free_slot, pid)) return i;
  }
  return -1;  // more than kMaxRunning at once: not killed on interruption, still on timeout
}

// Closes a file descriptor when it goes out of scope.
class Descriptor {
 public:
  explicit Descriptor(int fd = -1) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Where an output stream goes: the named file, or (empty name) an unlinked temporary file that
// is read back once the child has finished. A file rather than a pipe: nothing to drain while
// waiting, and a grandchild that keeps the stream open cannot hold the caller up.
int open_output(const std::string& file, std::string& error) {
  int fd = -1;
  if (!file.empty()) {
    fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) error = "cannot write " + file + ": " + std::strerror(errno);
    return fd;
  }
  std::error_code no_tmpdir;
  std::filesystem::path dir = std::filesystem::temp_directory_path(no_tmpdir);
  if (no_tmpdir) dir = "/tmp";
  std::string pattern = (dir / "tandem-output-XXXXXX").string();
  fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) error = "cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno);
  else ::unlink(pattern.c_str());
  return fd;
}

std::string read_back(int fd) {
  std::string text;
  if (::lseek(fd, 0, SEEK_SET) != 0) return text;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

// Our environment, with `extra` replacing any variable of the same name.
std::vector<std::string> environment_with(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    bool replaced = false;
    for (const auto& [name, value] : extra) replaced |= entry.rfind(name + "=", 0) == 0;
    if (!replaced) env.push_back(entry);
  }
  for (const auto& [name, value] : extra) env.push_back(name + "=" + value);
  return env;
}

bool is_executable_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string ProcessResult::describe() const {
  std::ostringstream text;
  if (!started) text << "could not start: " << error;
  else if (timed_out) text << "timed out after " << timeout_seconds << " s";
  else if (!error.empty()) text << error;
  else if (signal != 0) text << "exited with signal " << signal;
  else text << "exited with status " << exit_code;
  return text.str();
}

namespace {

// An argv ready for execve, built outside the handler and published by one atomic pointer. A
// replaced one is kept (not freed): the handler may be reading it.
struct PreparedCommand {
  std::vector<std::string> words;
  std::vector<char*> argv;
};
std::atomic<const PreparedCommand*> interrupt_command{nullptr};

void run_interrupt_command() {
  const PreparedCommand* command = interrupt_command.load();
  if (!command) return;
  // _Fork, not fork: no atfork handlers and no malloc locks, so it is safe in a signal handler.
  const pid_t pid = ::_Fork();
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);  // the handler's blocked signal is not the command's
    ::execve(command->argv[0], command->argv.data(), environ);
    ::_exit(127);
  }
  if (pid < 0) return;
  for (int waited_ms = 0; waited_ms < 10000; waited_ms += 10) {
    if (::waitpid(pid, nullptr, WNOHANG) != 0) return;
    const timespec pause{0, 10 * 1000 * 1000};
    ::nanosleep(&pause, nullptr);
  }
}

}  // namespace

void set_interrupt_command(const std::vector<std::string>& argv) {
  static std::vector<std::unique_ptr<PreparedCommand>> kept;
  static std::mutex mutex;
  const std::lock_guard<std::mutex> lock(mutex);
  if (argv.empty()) {
    interrupt_command.store(nullptr);
    return;
  }
  auto command = std::make_unique<PreparedCommand>();
  command->words = argv;
  const std::string path = find_program(argv[0]);
  if (!path.empty()) command->words[0] = path;
  for (std::string& word : command->words) command->argv.push_back(word.data());
  command->argv.push_back(nullptr);
  interrupt_command.store(command.get());
  kept.push_back(std::move(command));
}

void kill_running_processes() {
  for (auto& slot : running) {
    const pid_t pid = slot.load();
    if (pid > 0) ::kill(-pid, SIGKILL);
  }
  run_interrupt_command();
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  ProcessResult result;
  result.timeout_seconds = options.timeout_seconds;
  if (argv.empty()) {
    result.error = "no program to run";
    return result;
  }
  const Descriptor out(open_output(options.stdout_file, result.error));
  if (out.get() < 0) return result;
  const bool own_stderr = !options.stderr_to_stdout && !options.stderr_inherited;
  const Descriptor err(own_stderr ? open_output(options.stderr_file, result.error) : -1);
  if (own_stderr && err.get() < 0) return result;

  std::vector<std::string> args = argv;
  std::vector<char*> argv_pointers;
  for (auto& arg : args) argv_pointers.push_back(arg.data());
  argv_pointers.push_back(nullptr);
  std::vector<std::string> env;
  std::vector<char*> env_pointers;
  if (!options.env.empty()) {
    env = environment_with(options.env);
    for (auto& entry : env) env_pointers.push_back(entry.data());
    env_pointers.push_back(nullptr);
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.get(), 1);
  if (!options.stderr_inherited) {
    posix_spawn_file_actions_adddup2(&actions, options.stderr_to_stdout ? out.get() : err.get(), 2);
  }
  if (!options.directory.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.directory.c_str());
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Own process group (pgid = child pid): a timeout kills the child and everything it started.
  // No signal blocked, whatever the calling thread blocks.
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attributes, 0);

  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, argv_pointers[0], &actions, &attributes, argv_pointers.data(),
                                       env_pointers.empty() ? environ : env_pointers.data());
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
  if (options.timeout_seconds <= 0) {
    while (::waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) {
        result.error = std::string("waitpid: ") + std::strerror(errno);
        break;
      }
    }
  } else {
    auto sleep = std::chrono::milliseconds(2);
    while (true) {
      const pid_t done = ::waitpid(pid, &status, WNOHANG);
      if (done == pid) break;
      if (done < 0 && errno != EINTR) {
        result.error = std::string("waitpid: ") + std::strerror(errno);
        break;
      }
      if (elapsed() > options.timeout_seconds) {
        result.timed_out = true;
        ::kill(-pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(sleep);
      sleep = std::min(sleep * 2, std::chrono::milliseconds(50));
    }
  }
  // Whatever the child's own children left running in its group goes too.
  ::kill(-pid, SIGKILL);
  if (slot >= 0) running[slot].store(0);
  result.seconds = elapsed();
  if (!result.timed_out && result.error.empty()) {
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  }
  if (options.stdout_file.empty()) result.out = read_back(out.get());
  if (options.stderr_file.empty() && own_stderr) result.err = read_back(err.get());
  return result;
}

std::string find_program(const std::string& program) {
  if (program.empty()) return "";
  if (program.find('/') != std::string::npos) return is_executable_file(program) ? program : "";
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + program;
    if (is_executable_file(candidate)) return candidate;
  }
  return "";
}

std::string shell_quote(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](unsigned char c) {
    return std::isalnum(c) || (c != 0 && std::strchr("@%+=:,./_-", c) != nullptr);
  });
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& word : argv) line += (line.empty() ? "" : " ") + shell_quote(word);
  return line;
}

}  // namespace tandem
