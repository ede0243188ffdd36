#include "handoff/tool_runs.h"

#include "core/files.h"
#include "core/process.h"
#include "handoff/handoff.h"

namespace tandem {

void require_tool(const std::string& tool, const std::string& debian_package) {
  if (find_program(tool).empty()) {
    throw std::runtime_error(tool + " not found on PATH: install the Debian package '" +
                             debian_package + "' (apt-get install " + debian_package +
                             ", or scripts/install-deps.sh)");
  }
}

bool try_logged(const std::filesystem::path& dir, const std::vector<std::string>& command,
                const std::string& log) {
  ProcessOptions options;
  options.directory = dir.string();
  options.stdout_file = (dir / (log + ".out")).string();
  options.stderr_to_stdout = true;
  return run_process(command, options).ok();
}

std::runtime_error tool_failed(const std::filesystem::path& dir, const std::vector<std::string>& command,
                               const std::string& log) {
  return std::runtime_error("'" + command_line(command) + "' failed; see " + (dir / log).string() +
                            " and " + (dir / (log + ".out")).string());
}

void run_logged(const std::filesystem::path& dir, const std::vector<std::string>& command,
                const std::string& log) {
  if (!try_logged(dir, command, log)) throw tool_failed(dir, command, log);
}

nlohmann::ordered_json run_yosys(const std::filesystem::path& dir, const std::string& target,
                                 const std::string& script) {
  std::filesystem::create_directories(dir / "build" / target);
  const std::string log = "build/" + target + "/yosys.log";
  run_logged(dir, {"yosys", "-l", log, "-s", script}, log);
  return parse_yosys_stat(read_file(dir / log));
}

}  // namespace tandem
