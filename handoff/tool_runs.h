// How the handoff stage runs the EDA tools (Yosys, nextpnr-ice40, OpenSTA) inside a package
// directory: a missing tool names its Debian package, a failure names its logs. Internal to
// handoff/ (synthesis.cpp, asic_route.cpp).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace tandem {

// Throws std::runtime_error naming the Debian package when `tool` is not on PATH.
void require_tool(const std::string& tool, const std::string& debian_package);

// Runs `command` in `dir`, its output to `log`.out (the tool writes `log` itself, a path
// relative to `dir`); returns whether it succeeded.
bool try_logged(const std::filesystem::path& dir, const std::vector<std::string>& command,
                const std::string& log);

// The error for a failed `command`, naming `log` and `log`.out.
std::runtime_error tool_failed(const std::filesystem::path& dir, const std::vector<std::string>& command,
                               const std::string& log);

// try_logged, throwing tool_failed on failure.
void run_logged(const std::filesystem::path& dir, const std::vector<std::string>& command,
                const std::string& log);

// Runs `yosys -l build/<target>/yosys.log -s <script>` in `dir` and returns the log's last
// statistics block (parse_yosys_stat).
nlohmann::ordered_json run_yosys(const std::filesystem::path& dir, const std::string& target,
                                 const std::string& script);

}  // namespace tandem
