// t_io: the I/O layer of core/ (files.h, process.h): whole-file reads and writes, atomic writes
// that leave no temporary file, and the process runner (exit status, signals, captured output,
// environment, working directory, timeouts that kill the whole process group, interruption).
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <string>
#include <thread>

#include "core/files.h"
#include "core/process.h"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test case.
fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(TANDEM_TEST_OUTPUT_DIR) / "t_io" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

ProcessResult shell(const std::string& command, const ProcessOptions& options = {}) {
  return run_process({"/bin/sh", "-c", command}, options);
}

// Whether `pid` runs (exists and is not a zombie waiting for its new parent to reap it).
bool running(pid_t pid) {
  try {
    const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    return stat.substr(stat.rfind(')') + 2, 1) != "Z";
  } catch (const FileError&) {
    return false;
  }
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("t_io: write_file creates the directories and read_file gives back the bytes", "[io]") {
  const fs::path dir = fresh_dir("round_trip");
  const std::string bytes("line\r\nzero \0 byte\n\xff", 19);
  write_file(dir / "a" / "b" / "file.bin", bytes);
  CHECK(read_file(dir / "a" / "b" / "file.bin") == bytes);
  write_file(dir / "a" / "b" / "file.bin", "shorter");
  CHECK(read_file(dir / "a" / "b" / "file.bin") == "shorter");
  write_file(dir / "empty", "");
  CHECK(read_file(dir / "empty").empty());
}

TEST_CASE("t_io: a failed read or write names the file", "[io]") {
  const fs::path dir = fresh_dir("errors");
  const std::string missing = (dir / "missing.txt").string();
  CHECK_THROWS_WITH(read_file(missing), "cannot open " + missing + ": No such file or directory");
  try {
    read_file(missing);
  } catch (const FileError& e) {
    CHECK(e.path() == missing);
    CHECK(e.reason() == "No such file or directory");
  }
  CHECK_THROWS_WITH(read_file(dir), "cannot read " + dir.string() + ": Is a directory");
  // A parent that is a file: neither write can create the directory.
  write_file(dir / "plain", "x");
  CHECK_THROWS_AS(write_file(dir / "plain" / "child", "y"), FileError);
  CHECK_THROWS_WITH(write_file(dir / "plain" / "child", "y"),
                    Catch::StartsWith("cannot write " + (dir / "plain" / "child").string() + ": "));
  CHECK_THROWS_WITH(write_file_atomically(dir / "plain" / "child", "y"),
                    Catch::StartsWith("cannot write " + (dir / "plain" / "child").string() + ": "));
}

TEST_CASE("t_io: an atomic write replaces the file and leaves no temporary file", "[io]") {
  const fs::path dir = fresh_dir("atomic");
  write_file_atomically(dir / "cache.json", "first\n");
  write_file_atomically(dir / "cache.json", "second\n");
  CHECK(read_file(dir / "cache.json") == "second\n");
  write_file_atomically(dir / "sub" / "new.json", "{}");
  CHECK(read_file(dir / "sub" / "new.json") == "{}");
  CHECK(entries(dir) == std::vector<std::string>{"cache.json", "sub"});
  CHECK(entries(dir / "sub") == std::vector<std::string>{"new.json"});

  // The rename fails (a directory is in the way): an error naming the file, no temporary left.
  fs::create_directories(dir / "taken" / "inside");
  CHECK_THROWS_WITH(write_file_atomically(dir / "taken", "text"),
                    Catch::StartsWith("cannot write " + (dir / "taken").string() + ": "));
  CHECK(entries(dir) == std::vector<std::string>{"cache.json", "sub", "taken"});

  // Many writers at once: the file is always one of the whole texts.
  std::vector<std::future<void>> writers;
  for (int i = 0; i < 8; ++i) {
    writers.push_back(std::async(std::launch::async, [&dir, i] {
      const std::string text(1000 * (i + 1), static_cast<char>('a' + i));
      for (int n = 0; n < 20; ++n) write_file_atomically(dir / "cache.json", text);
    }));
  }
  for (auto& writer : writers) writer.get();
  const std::string text = read_file(dir / "cache.json");
  CHECK(text.size() % 1000 == 0);
  CHECK(text == std::string(text.size(), text.front()));
  CHECK(entries(dir) == std::vector<std::string>{"cache.json", "sub", "taken"});
}

TEST_CASE("t_io: exit status, signals and captured output", "[io]") {
  const ProcessResult ok = shell("echo out; echo err >&2");
  CHECK(ok.started);
  CHECK(ok.ok());
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == "out\n");
  CHECK(ok.err == "err\n");

  const ProcessResult three = shell("echo starting; exit 3");
  CHECK_FALSE(three.ok());
  CHECK(three.exit_code == 3);
  CHECK(three.signal == 0);
  CHECK(three.out == "starting\n");
  CHECK(three.describe() == "exited with status 3");

  const ProcessResult killed = shell("kill -TERM $$");
  CHECK_FALSE(killed.ok());
  CHECK(killed.signal == SIGTERM);
  CHECK(killed.exit_code == -1);
  CHECK(killed.describe() == "exited with signal 15");

  const ProcessResult missing = run_process({"/nonexistent/program", "--flag"});
  CHECK_FALSE(missing.started);
  CHECK_FALSE(missing.ok());
  CHECK(missing.describe() == "could not start: /nonexistent/program: No such file or directory");
  CHECK_FALSE(run_process({"tandem-no-such-program-on-path"}).started);

  // argv words reach the program as they are: no shell in between.
  const ProcessResult words = run_process({"printf", "[%s]", "two words", "$HOME", "'q'", ""});
  CHECK(words.out == "[two words][$HOME]['q'][]");

  // stdin is /dev/null: a program that reads it does not wait.
  CHECK(shell("cat").out.empty());
}

TEST_CASE("t_io: output to files, environment and working directory", "[io]") {
  const fs::path dir = fresh_dir("options");
  ProcessOptions files;
  files.stdout_file = (dir / "stdout.txt").string();
  files.stderr_file = (dir / "stderr.txt").string();
  const ProcessResult to_files = shell("echo out; echo err >&2", files);
  CHECK(to_files.ok());
  CHECK(to_files.out.empty());
  CHECK(to_files.err.empty());
  CHECK(read_file(dir / "stdout.txt") == "out\n");
  CHECK(read_file(dir / "stderr.txt") == "err\n");

  ProcessOptions merged;
  merged.stdout_file = (dir / "build.log").string();
  merged.stderr_to_stdout = true;
  CHECK(shell("echo one; echo two >&2; echo three", merged).ok());
  CHECK(read_file(dir / "build.log") == "one\ntwo\nthree\n");

  ProcessOptions merged_captured;
  merged_captured.stderr_to_stdout = true;
  CHECK(shell("echo one; echo two >&2", merged_captured).out == "one\ntwo\n");

  ProcessOptions env;
  env.env = {{"TANDEM_T_IO", "set here"}, {"HOME", "/replaced"}};
  CHECK(shell("echo \"$TANDEM_T_IO|$HOME\"", env).out == "set here|/replaced\n");
  CHECK(shell("echo \"${TANDEM_T_IO-unset}\"").out == "unset\n");

  ProcessOptions in_dir;
  in_dir.directory = dir.string();
  CHECK(shell("pwd -P", in_dir).out == fs::canonical(dir).string() + "\n");
  CHECK(shell("cat stdout.txt", in_dir).out == "out\n");

  ProcessOptions unwritable;
  unwritable.stdout_file = (dir / "no" / "such" / "dir" / "out.txt").string();
  const ProcessResult refused = shell("echo out", unwritable);
  CHECK_FALSE(refused.started);
  CHECK_THAT(refused.describe(),
             Catch::StartsWith("could not start: cannot write " + unwritable.stdout_file));
}

TEST_CASE("t_io: a timeout kills the child and everything it started", "[io]") {
  const fs::path dir = fresh_dir("timeout");
  const std::string pid_file = (dir / "grandchild.pid").string();
  ProcessOptions options;
  options.timeout_seconds = 0.5;
  const auto start = std::chrono::steady_clock::now();
  const ProcessResult result =
      shell("sleep 30 & echo $! > " + shell_quote(pid_file) + "; echo started; sleep 30", options);
  CHECK(seconds_since(start) < 5);
  CHECK(result.started);
  CHECK(result.timed_out);
  CHECK_FALSE(result.ok());
  CHECK(result.describe() == "timed out after 0.5 s");
  CHECK(result.out == "started\n");  // what it printed before the timeout is kept
  CHECK(result.seconds >= 0.5);
  // The background sleep was in the child's process group: it is gone too.
  const pid_t grandchild = std::stoi(read_file(pid_file));
  const auto killed = std::chrono::steady_clock::now();
  while (running(grandchild) && seconds_since(killed) < 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK_FALSE(running(grandchild));

  // Within the timeout, nothing is killed.
  options.timeout_seconds = 30;
  const ProcessResult quick = shell("sleep 0.1; exit 4", options);
  CHECK_FALSE(quick.timed_out);
  CHECK(quick.exit_code == 4);
}

TEST_CASE("t_io: kill_running_processes ends every running child", "[io]") {
  const auto start = std::chrono::steady_clock::now();
  auto first = std::async(std::launch::async, [] { return shell("sleep 30"); });
  auto second = std::async(std::launch::async, [] {
    ProcessOptions options;
    options.timeout_seconds = 60;
    return shell("sleep 30 & sleep 30", options);
  });
  // Until both have been killed (each is killed once it runs).
  const auto done = [](auto& future, int ms) {
    return future.wait_for(std::chrono::milliseconds(ms)) == std::future_status::ready;
  };
  while (seconds_since(start) < 10 && !(done(first, 100) && done(second, 0))) {
    kill_running_processes();
  }
  const ProcessResult a = first.get();
  const ProcessResult b = second.get();
  CHECK(seconds_since(start) < 10);
  CHECK(a.signal == SIGKILL);
  CHECK(b.signal == SIGKILL);
  CHECK_FALSE(b.timed_out);
}

TEST_CASE("t_io: shell_quote makes one shell word of anything", "[io]") {
  CHECK(shell_quote("build/obj_dir-1.2/x_y.v") == "build/obj_dir-1.2/x_y.v");
  CHECK(shell_quote("PATH=/usr/bin:/bin") == "PATH=/usr/bin:/bin");
  CHECK(shell_quote("") == "''");
  CHECK(shell_quote("two words") == "'two words'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  for (const std::string word : {"two words", "it's", "$HOME", "a\"b", "*", "x;rm -rf y", "tab\there",
                                 "new\nline", "back\\slash", "", "~", "a|b&c"}) {
    CHECK(shell("printf %s " + shell_quote(word)).out == word);
  }
  CHECK(command_line({"yosys", "-l", "build/yosys.log", "-s", "my script.ys"}) ==
        "yosys -l build/yosys.log -s 'my script.ys'");
}

TEST_CASE("t_io: find_program searches PATH like command -v", "[io]") {
  const std::string sh = find_program("sh");
  CHECK_FALSE(sh.empty());
  CHECK(shell("command -v sh").out == sh + "\n");
  CHECK(find_program("tandem-no-such-program-on-path").empty());
  CHECK(find_program("/bin/sh") == "/bin/sh");
  CHECK(find_program("/nonexistent/sh").empty());
}

TEST_CASE("t_io: a child's stderr can be ours, unreopened and untruncated", "[io]") {
  const std::string file = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_io_inherited_stderr.txt";
  std::fflush(stderr);
  const int saved = ::dup(2);
  REQUIRE(saved >= 0);
  {
    std::FILE* ours = std::fopen(file.c_str(), "w");
    REQUIRE(ours);
    ::dup2(::fileno(ours), 2);
    std::fclose(ours);
  }
  ::write(2, "before\n", 7);
  ProcessOptions options;
  options.stderr_inherited = true;
  const ProcessResult result = run_process({"/bin/sh", "-c", "echo progress >&2"}, options);
  ::write(2, "after\n", 6);
  ::dup2(saved, 2);
  ::close(saved);
  CHECK(result.ok());
  CHECK(result.err.empty());
  CHECK(read_file(file) == "before\nprogress\nafter\n");
}
