#include "handoff/handoff.h"

#include <algorithm>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "core/number_format.h"
#include "core/table.h"
#include "core/files.h"
#include "core/process.h"
#include "handoff/asic_route.h"
#include "handoff/package_scripts.h"
#include "handoff/tool_runs.h"

namespace tandem {

namespace {

// The package's target clock (manifest.json accelerator.clock_mhz), for nextpnr's timing goal.
int package_clock_mhz(const std::filesystem::path& dir) {
  const auto manifest = nlohmann::json::parse(read_file(dir / "manifest.json"));
  return manifest.at("accelerator").at("clock_mhz").get<int>();
}

std::int64_t count_matching(const nlohmann::ordered_json& types, const std::regex& pattern) {
  std::int64_t total = 0;
  for (const auto& [type, count] : types.items()) {
    if (std::regex_match(type, pattern)) total += count.get<std::int64_t>();
  }
  return total;
}

// nextpnr's name for the constant net, the "clock" of DSP blocks without registers.
constexpr const char* kConstantNetClock = "$PACKER_GND_NET";

// The longest of nextpnr's critical paths (--report JSON) from a clock edge to another, in ns.
// An empty name stands for any real clock (not the constant net); 0 when there is no such path.
double worst_path_ns(const nlohmann::json& pnr, const std::string& from, const std::string& to) {
  const auto matches = [](const std::string& end, const std::string& clock) {
    if (clock.empty()) return end.rfind("posedge ", 0) == 0 && end.find(kConstantNetClock) == std::string::npos;
    return end == "posedge " + clock;
  };
  double worst = 0;
  for (const auto& path : pnr.value("critical_paths", nlohmann::json::array())) {
    if (!matches(path.at("from").get<std::string>(), from) || !matches(path.at("to").get<std::string>(), to)) continue;
    double total = 0;
    for (const auto& step : path.at("path")) total += step.at("delay").get<double>();
    worst = std::max(worst, total);
  }
  return worst;
}

nlohmann::ordered_json ice40(const std::filesystem::path& dir, const SynthOptions& options) {
  if (options.device != "up5k" && options.device != "hx8k") {
    throw std::invalid_argument("--device: '" + options.device + "' is not up5k or hx8k");
  }
  require_tool("yosys", "yosys");
  require_tool("nextpnr-ice40", "nextpnr-ice40");
  nlohmann::ordered_json report;
  std::string script = "synth/ice40.ys";
  if (options.device == "hx8k") {
    // The HX parts have no DSP blocks: the package's script without -dsp (multipliers in LUTs).
    script = "build/ice40/ice40_hx.ys";
    std::string text = read_file(dir / "synth/ice40.ys");
    const std::string dsp = "synth_ice40 -dsp ";
    const auto at = text.find(dsp);
    if (at == std::string::npos) throw std::runtime_error("synth/ice40.ys has no '" + dsp + "'");
    text.replace(at, dsp.size(), "synth_ice40 ");
    write_file(dir / script, text);
  }
  report["yosys"] = run_yosys(dir, "ice40", script);
  const std::string package = options.device == "up5k" ? "sg48" : "ct256";
  const int clock_mhz = package_clock_mhz(dir);
  const std::string log = "build/ice40/nextpnr.log";
  const std::vector<std::string> command = {
      "nextpnr-ice40", "--" + options.device, "--package", package, "--json", "build/ice40/tandem.json",
      "--report", "build/ice40/nextpnr.json", "--freq", std::to_string(clock_mhz), "--timing-allow-fail",
      "--seed", "1", "-l", log};
  report["device"] = options.device;
  report["package"] = package;
  report["target_mhz"] = clock_mhz;
  if (!try_logged(dir, command, log)) {
    // Packing prints the utilization before placement gives up: report it, and what overflows.
    const auto utilization =
        parse_nextpnr_utilization(std::filesystem::exists(dir / log) ? read_file(dir / log) : std::string());
    if (utilization.empty()) throw tool_failed(dir, command, log);
    report["fits"] = false;
    report["utilization"] = utilization;
    report["note"] = "nextpnr-ice40 failed (see " + log + "); the utilization is its packing report";
    return report;
  }
  const auto pnr = nlohmann::json::parse(read_file(dir / "build/ice40/nextpnr.json"));
  report["fits"] = true;
  const nlohmann::ordered_json timing = nextpnr_timing(pnr);
  for (const auto& [key, value] : timing.items()) report[key] = value;
  // Met when every path meets it, the estimate through the DSP blocks included.
  const double fmax = report["fmax_mhz"].get<double>();
  report["meets_clock"] = std::min(fmax, report.value("fmax_through_dsps_mhz", fmax)) >= clock_mhz;
  nlohmann::ordered_json utilization;
  for (const auto& [resource, use] : pnr.at("utilization").items()) {
    if (use.at("used").get<int>() > 0) utilization[resource] = {{"used", use.at("used")}, {"available", use.at("available")}};
  }
  report["utilization"] = utilization;
  report["note"] = "top is rtl/fpga/tandem_fpga_top.v (block-RAM I/O wrapper included in the counts)";
  return report;
}

nlohmann::ordered_json xilinx(const std::filesystem::path& dir) {
  require_tool("yosys", "yosys");
  nlohmann::ordered_json report;
  report["yosys"] = run_yosys(dir, "xilinx", "synth/xilinx.ys");
  const auto& types = report["yosys"]["cell_types"];
  report["resources"] = {
      {"lut", count_matching(types, std::regex("LUT[1-6]"))},
      {"ff", count_matching(types, std::regex("FD[A-Z]*"))},
      {"dsp", count_matching(types, std::regex("DSP48.*"))},
      {"bram", count_matching(types, std::regex("RAMB(18|36).*"))},
      {"lutram", count_matching(types, std::regex("RAM(32|64|128|256).*"))},
      {"carry", count_matching(types, std::regex("CARRY.*"))},
  };
  return report;
}

nlohmann::ordered_json generic(const std::filesystem::path& dir, const SynthOptions& options) {
  require_tool("yosys", "yosys");
  nlohmann::ordered_json report;
  std::string script = "synth.ys";
  if (!options.liberty.empty()) {
    const std::string liberty = std::filesystem::absolute(options.liberty).string();
    if (!std::filesystem::exists(liberty)) throw std::runtime_error("--liberty: no file " + liberty);
    // The package's generic script, then mapping to the library's flip-flops and gates.
    script = "build/generic/liberty.ys";
    write_file(dir / script, "script synth.ys\n"
                             "dfflibmap -liberty " + liberty + "\n"
                             "abc -liberty " + liberty + "\n"
                             "opt_clean\n"
                             "stat -liberty " + liberty + "\n");
    report["liberty"] = liberty;
  }
  report["yosys"] = run_yosys(dir, "generic", script);
  report["cells"] = report["yosys"]["cells"];
  return report;
}

}  // namespace

nlohmann::ordered_json nextpnr_timing(const nlohmann::json& pnr) {
  // nextpnr-ice40 times every SB_MAC16 as registered: a DSP block used without its registers
  // gets the constant net as its "clock", and a path through it is timed as two paths that end
  // and start at the DSP. That pseudo-clock is not a clock of the design.
  nlohmann::ordered_json timing;
  double fmax = 0;
  for (const auto& [clock, figures] : pnr.at("fmax").items()) {
    if (clock == kConstantNetClock) continue;
    const double achieved = figures.at("achieved").get<double>();
    fmax = fmax == 0 ? achieved : std::min(fmax, achieved);
  }
  timing["fmax_mhz"] = fmax;
  const double into = worst_path_ns(pnr, "", kConstantNetClock);
  const double between = worst_path_ns(pnr, kConstantNetClock, kConstantNetClock);
  const double out_of = worst_path_ns(pnr, kConstantNetClock, "");
  if (into > 0 || out_of > 0) {
    timing["fmax_through_dsps_mhz"] = 1000.0 / (into + between + out_of);
    timing["fmax_note"] =
        "fmax_mhz omits paths through combinational DSP blocks (nextpnr-ice40 cuts them at the "
        "DSP); fmax_through_dsps_mhz adds the worst path into a DSP block, between two and out "
        "of one: an estimate, not a bound (those need not be one path, a path may pass more "
        "DSPs, and nextpnr has no delay for the DSP itself)";
  }
  return timing;
}

nlohmann::ordered_json parse_nextpnr_utilization(const std::string& log) {
  // "Info: \t         ICESTORM_LC:  9164/ 5280   173%" after "Info: Device utilisation:"
  nlohmann::ordered_json utilization = nlohmann::ordered_json::object();
  const auto at = log.find("Device utilisation:");
  if (at == std::string::npos) return utilization;
  std::istringstream lines(log.substr(at));
  std::string line;
  std::getline(lines, line);
  const std::regex use_line(R"(Info:\s+(\w+):\s+(\d+)/\s*(\d+)\s+\d+%\s*)");
  std::smatch match;
  while (std::getline(lines, line) && std::regex_match(line, match, use_line)) {
    const auto used = std::stoll(match[2].str());
    if (used > 0) utilization[match[1].str()] = {{"used", used}, {"available", std::stoll(match[3].str())}};
  }
  return utilization;
}

nlohmann::ordered_json parse_yosys_stat(const std::string& log, const std::string& module) {
  std::size_t from = 0, to = log.size();
  if (!module.empty()) {
    // Blocks start with a title line "=== name ===" and end where the next one starts.
    std::size_t at = 0;
    for (; (at = log.find("=== ", at)) != std::string::npos; ++at) {
      const std::size_t title_end = log.find('\n', at);
      if (log.substr(at, title_end - at).find(module) != std::string::npos) break;
    }
    if (at == std::string::npos) throw std::runtime_error("no statistics of module " + module + " in the Yosys log");
    from = at;
    const std::size_t next = log.find("=== ", log.find('\n', at));
    if (next != std::string::npos) to = next;
  }
  const std::string block = log.substr(from, to - from);
  const auto at = block.rfind("Number of cells:");
  if (at == std::string::npos) throw std::runtime_error("no statistics in the Yosys log");
  std::istringstream lines(block.substr(at));
  std::string line;
  std::getline(lines, line);
  nlohmann::ordered_json stat;
  stat["cells"] = std::stoll(line.substr(line.find(':') + 1));
  nlohmann::ordered_json types = nlohmann::ordered_json::object();
  const std::regex cell_line(R"(\s+(\S+)\s+(\d+)\s*)");
  std::smatch match;
  while (std::getline(lines, line) && std::regex_match(line, match, cell_line)) {
    types[match[1].str()] = std::stoll(match[2].str());
  }
  stat["cell_types"] = types;
  const std::regex area(R"(Chip area for (?:module|top module) '[^']*': ([0-9.eE+-]+))");
  if (std::regex_search(block.cbegin() + static_cast<std::ptrdiff_t>(at), block.cend(), match, area)) {
    stat["area"] = std::stod(match[1].str());
  }
  return stat;
}

nlohmann::ordered_json run_synth(const std::filesystem::path& dir, const SynthOptions& options) {
  if (!std::filesystem::exists(dir / "synth.ys")) {
    throw std::runtime_error(dir.string() + " is not an exported package (no synth.ys)");
  }
  nlohmann::ordered_json report;
  report["target"] = options.target;
  nlohmann::ordered_json figures;
  if (options.target == "ice40") figures = ice40(dir, options);
  else if (options.target == "xilinx") figures = xilinx(dir);
  else if (options.target == "generic") figures = generic(dir, options);
  else if (options.target == "sky130") figures = asic_route(dir, options);
  else throw std::invalid_argument("--target: '" + options.target + "' is not ice40, xilinx, generic or sky130");
  for (const auto& [key, value] : figures.items()) report[key] = value;
  write_file(dir / ("synth_" + options.target + ".json"), report.dump(2) + "\n");
  return report;
}

std::string synth_table(const nlohmann::ordered_json& report) {
  Table table;  // figure, value; no header line
  table.min_widths = {15};  // "Fmax, DSP paths": values line up whichever figures a target has
  table.rows.push_back({"yosys cells", report["yosys"]["cells"].dump()});
  if (report["yosys"].contains("area") && !report.contains("area_um2")) {
    table.rows.push_back({"area", report["yosys"]["area"].dump()});
  }
  if (report.contains("device")) {
    table.rows.push_back({"device", report["device"].get<std::string>()});
    if (report.contains("fmax_mhz")) {
      table.rows.push_back({"Fmax", format_number(report["fmax_mhz"].get<double>(), 6) + " MHz (target " +
                                        report["target_mhz"].dump() + " MHz, " +
                                        (report.value("meets_clock", false) ? "met" : "missed") + ")"});
      if (report.contains("fmax_through_dsps_mhz")) {
        table.rows.push_back({"Fmax, DSP paths", format_number(report["fmax_through_dsps_mhz"].get<double>(), 6) +
                                                     " MHz (paths through combinational DSP blocks, joined; see "
                                                     "fmax_note)"});
      }
    } else {
      table.rows.push_back({"fits", "no (placement failed; utilization after packing)"});
    }
    for (const auto& [resource, use] : report["utilization"].items()) {
      table.rows.push_back({resource, use["used"].dump() + " / " + use["available"].dump()});
    }
  }
  if (report.contains("fmax_mhz") && report.contains("worst_path")) {  // the ASIC route
    table.rows.push_back({"area", format_number(report["area_um2"].get<double>(), 6) + " um^2 (without SRAM macros)"});
    for (const auto& [component, area] : report["area_by_component_um2"].items()) {
      table.rows.push_back({"  " + component, format_number(area.get<double>(), 6) + " um^2"});
    }
    const auto& path = report["worst_path"];
    table.rows.push_back({"worst path", path["start"].get<std::string>() + " -> " + path["end"].get<std::string>() +
                                            " (" + format_number(report["critical_path_ns"].get<double>(), 4) + " ns)"});
    table.rows.push_back({"WNS / TNS", format_number(report["wns_ns"].get<double>(), 4) + " / " +
                                           format_number(report["tns_ns"].get<double>(), 4) + " ns at " +
                                           format_number(report["clock_mhz"].get<double>(), 4) + " MHz"});
    table.rows.push_back({"Fmax", format_number(report["fmax_mhz"].get<double>(), 4) + " MHz" +
                                      (report["meets_clock"].get<bool>() ? " (meets the clock)" : " (misses the clock)")});
  }
  if (report.contains("resources")) {
    for (const auto& [resource, count] : report["resources"].items()) table.rows.push_back({resource, count.dump()});
  }
  return "target " + report["target"].get<std::string>() + "\n" + table.text("  ");
}

}  // namespace tandem
