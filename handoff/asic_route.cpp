// `tandem synth DIR --target sky130`: the package's SRAM-macro variant mapped by Yosys + ABC to
// a Liberty standard-cell library (SkyWater sky130_fd_sc_hd typical by default) and timed by
// OpenSTA with the package's SDC (docs/handoff.md "ASIC timing").
//
// Yosys maps each module once (a 16x16 array maps one PE, not 256), then flattens the mapped
// netlist for OpenSTA; high-fanout nets between modules get buffer trees first (ABC sizes
// gates within a module and never sees the loads a module's outputs drive). Scratchpad banks stay SRAM macros: each macro shape gets a Liberty cell
// with an assumed access time and setup (--sram-access-ns), so paths into and out of the
// memories are timed rather than cut. A memory compiler's own .lib replaces that assumption.
#include <cmath>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "core/files.h"
#include "core/process.h"
#include "generator/eda_scripts.h"
#include "handoff/asic_route.h"
#include "handoff/tool_runs.h"

#ifndef TANDEM_SKY130_LIBERTY
#define TANDEM_SKY130_LIBERTY ""
#endif

namespace tandem {

namespace {

namespace fs = std::filesystem;

// ABC's mapping for delay: structural choices (dch), then the delay-oriented standard-cell
// mapper (map) to a target, buffering of high fanout and gate sizing against the library's
// loads (without these three, ABC's unit-load model leaves paths several times slower than
// OpenSTA then measures). ABC times only the logic between flip-flops, with its own load model:
// kAbcTargetFraction of the period leaves the flip-flops' clock-to-Q and setup, the loads on
// module ports and the buffer trees inserted later out of its budget; below the target, map
// recovers area. bench/sky130_micro/run.sh (single operators between registers): a 32-bit add,
// a 48-bit add and a 32x16 multiply take 2.7 / 3.2 / 6.3 ns, against 5.9 / 7.5 / 8.5 ns with
// the AIG mapper (&nf) after dc2/dretime, for about 4% more area on whole designs. (Yosys
// substitutes {D} only in its own scripts, not in a -script file: the target is written in.)
constexpr double kAbcTargetFraction = 0.7;

std::string abc_script(double period_ns) {
  const std::string target = " -D " + std::to_string(std::lround(kAbcTargetFraction * period_ns * 1000));
  return "strash\ndch\nmap" + target + "\nbuffer -c\nupsize" + target + "\ndnsize" + target + "\nstime -p\n";
}

// Loads per net after fanout buffering (fanout_buffering.cpp), as a placement flow's repair
// step would leave them.
constexpr int kMaxFanout = 16;

std::string liberty_path(const SynthOptions& options) {
  const std::string liberty = options.liberty.empty() ? std::string(TANDEM_SKY130_LIBERTY) : options.liberty;
  if (liberty.empty() || !fs::exists(liberty)) {
    throw std::runtime_error("--liberty: no file '" + liberty + "'" +
                             (options.liberty.empty() ? " (tandem's copy of sky130_fd_sc_hd, technology/sky130/, "
                                                        "is missing: pass a Liberty file)"
                                                      : ""));
  }
  return fs::absolute(liberty).string();
}

// Yosys and OpenSTA read plain Liberty: a .gz is unpacked into the build directory.
std::string plain_liberty(const std::string& liberty, const fs::path& build) {
  if (liberty.size() < 3 || liberty.compare(liberty.size() - 3, 3, ".gz") != 0) return liberty;
  const fs::path plain = fs::absolute(build / fs::path(liberty).stem());
  ProcessOptions options;
  options.stdout_file = plain.string();
  if (!run_process({"gzip", "-dc", liberty}, options).ok()) {
    throw std::runtime_error("cannot unpack " + liberty + " (gzip -dc failed)");
  }
  return plain.string();
}

// The package's SRAM-variant Verilog files (filelist_sram.f without +incdir lines).
std::vector<std::string> sram_filelist(const fs::path& dir) {
  if (!fs::exists(dir / "filelist_sram.f") || !fs::exists(dir / "synth/sram_blackbox.v")) {
    throw std::runtime_error(dir.string() + " has no filelist_sram.f and synth/sram_blackbox.v (export it again "
                                            "with this tandem: the ASIC route times the SRAM-macro variant)");
  }
  std::vector<std::string> files;
  std::istringstream lines(read_file(dir / "filelist_sram.f"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != '+' && line[0] != '#') files.push_back(line);
  }
  return files;
}

// The macro module synth/sram_blackbox.v declares (tandem_sram_1r1w unless exported with
// --sram-macro).
std::string macro_name(const fs::path& dir) {
  std::smatch match;
  const std::string text = read_file(dir / "synth/sram_blackbox.v");
  if (!std::regex_search(text, match, std::regex(R"(module\s+(\w+))"))) {
    throw std::runtime_error((dir / "synth/sram_blackbox.v").string() + " declares no module");
  }
  return match[1].str();
}

std::string yosys_script(const std::vector<std::string>& files, const std::string& liberty) {
  std::ostringstream s;
  s << "# tandem synth --target sky130 (docs/handoff.md): map every module once to the Liberty\n"
       "# cells, then flatten for OpenSTA. Rerun by hand: yosys -l build/sky130/yosys.log -s build/sky130/synth.ys\n"
       "read_liberty -lib " << liberty << "\n"
       "read_verilog -sv -lib synth/sram_blackbox.v\n"
       "read_verilog -defer -sv -Irtl";
  for (const auto& file : files) s << " " << file;
  s << "\nhierarchy -check -top tandem_top\n"
       "# -noabc: Yosys' generic gate mapping would turn its parallel-prefix adders into ripple\n"
       "# carries that ABC cannot restructure; ABC maps the technology-independent netlist instead.\n"
       "synth -noabc -top tandem_top\n"
       "select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_* t:$_DLATCHSR_*\n"
       "dfflibmap -liberty " << liberty << "\n"
       "abc -script build/sky130/abc.script -liberty "
    << liberty << "\n"
       "opt_clean\n"
       "tee -o build/sky130/stat.txt stat -liberty " << liberty << "\n"
       "flatten\n"
       "setundef -zero\n"
       "splitnets -ports\n"
       "opt_clean -purge\n"
       "# flip-flops named after the register they hold, for the path report\n"
       "rename -wire\n"
       "write_verilog -noattr -noexpr -nohex -nodec build/sky130/netlist.v\n";
  return s.str();
}

std::string sta_script(const std::string& liberty, const std::string& sdc) {
  return "# tandem synth --target sky130: sta -no_splash -exit build/sky130/sta.tcl\n"
         "log_begin build/sky130/sta.log\n"
         "read_liberty " + liberty + "\n"
         "read_liberty build/sky130/sram_macros.lib\n"
         "read_verilog build/sky130/netlist.v\n"
         "link_design tandem_top\n"
         "read_sdc " + sdc + "\n"
         "report_checks -path_delay max -digits 3 -fields {net}\n"
         "report_worst_slack -digits 3\n"
         "report_wns -digits 3\n"
         "report_tns -digits 3\n";
}

double period_of_sdc(const std::string& sdc) {
  std::smatch match;
  if (!std::regex_search(sdc, match, std::regex(R"(create_clock[^\n]*-period\s+([0-9.]+))"))) {
    throw std::runtime_error("the SDC has no create_clock -period");
  }
  return std::stod(match[1].str());
}

}  // namespace

std::vector<SramShape> name_sram_macros_by_shape(std::string& netlist, const std::string& macro) {
  // Yosys writes a black-box instance with its parameters, e.g.
  //   tandem_sram_1r1w #(
  //     .AW(32'sb00000000000000000000000000001011),
  //     .DEPTH(32'sb00000000000000000000100000000000),
  //     .WIDTH(32'sb00000000000000000000000000010000)
  //   ) \core.ibuf.g_bank[0].bank.macro  (
  // which becomes `tandem_sram_1r1w_w16_d2048 \core...` (a Liberty cell per shape).
  const auto value = [](const std::string& text) -> int {
    const auto tick = text.find('\'');
    if (tick == std::string::npos) return std::stoi(text);
    std::size_t at = tick + 1;
    if (at < text.size() && text[at] == 's') ++at;
    const char base = text[at];
    const std::string digits = text.substr(at + 1);
    return static_cast<int>(std::stoll(digits, nullptr, base == 'b' ? 2 : base == 'h' ? 16 : base == 'o' ? 8 : 10));
  };
  std::map<std::pair<int, int>, SramShape> shapes;
  const std::string head = macro + " #(";
  std::string out;
  out.reserve(netlist.size());
  std::size_t from = 0;
  for (std::size_t at; (at = netlist.find(head, from)) != std::string::npos;) {
    const std::size_t close = netlist.find("\n  )", at);
    if (close == std::string::npos) throw std::runtime_error("netlist: unterminated parameters of " + macro);
    const std::string block = netlist.substr(at, close - at);
    std::map<std::string, int> params;
    static const std::regex param(R"(\.(\w+)\(([^)]*)\))");
    for (std::sregex_iterator it(block.begin(), block.end(), param), end; it != end; ++it) {
      params[(*it)[1].str()] = value((*it)[2].str());
    }
    if (!params.count("WIDTH") || !params.count("DEPTH") || !params.count("AW")) {
      throw std::runtime_error("netlist: an instance of " + macro + " lacks WIDTH, DEPTH or AW");
    }
    SramShape shape{macro + "_w" + std::to_string(params["WIDTH"]) + "_d" + std::to_string(params["DEPTH"]),
                    params["WIDTH"], params["DEPTH"], params["AW"], 0};
    auto& entry = shapes.emplace(std::make_pair(shape.width, shape.depth), shape).first->second;
    ++entry.instances;
    out.append(netlist, from, at - from);
    out += shape.cell;
    from = close + 4;  // past "\n  )"
  }
  out.append(netlist, from, std::string::npos);
  netlist = std::move(out);
  std::vector<SramShape> list;
  for (const auto& [key, shape] : shapes) list.push_back(shape);
  return list;
}

std::string sram_macro_liberty(const std::vector<SramShape>& shapes, double access_ns, double setup_ns) {
  std::ostringstream s;
  const auto scalar = [](double v) { return "(scalar) { values (\"" + std::to_string(v) + "\"); }"; };
  const auto setup = [&](const std::string& indent) {
    return indent + "timing () { related_pin : \"CLK\"; timing_type : setup_rising; rise_constraint " + scalar(setup_ns) +
           " fall_constraint " + scalar(setup_ns) + " }\n";
  };
  s << "/* SRAM macros of a tandem package, one cell per bank shape (tandem synth --target sky130).\n"
       "   Timing is an assumption, not a memory compiler's: clock to RDATA " << access_ns << " ns, setup "
    << setup_ns << " ns. */\n"
       "library (tandem_sram_macros) {\n"
       "  delay_model : table_lookup;\n"
       "  time_unit : \"1ns\";\n  voltage_unit : \"1V\";\n  current_unit : \"1mA\";\n"
       "  capacitive_load_unit (1, pf);\n  pulling_resistance_unit : \"1kohm\";\n  leakage_power_unit : \"1nW\";\n"
       "  nom_process : 1;\n  nom_voltage : 1.8;\n  nom_temperature : 25;\n"
       "  input_threshold_pct_rise : 50;\n  input_threshold_pct_fall : 50;\n"
       "  output_threshold_pct_rise : 50;\n  output_threshold_pct_fall : 50;\n"
       "  slew_lower_threshold_pct_rise : 20;\n  slew_lower_threshold_pct_fall : 20;\n"
       "  slew_upper_threshold_pct_rise : 80;\n  slew_upper_threshold_pct_fall : 80;\n";
  std::map<int, bool> widths;
  for (const auto& shape : shapes) widths[shape.width] = widths[shape.aw] = true;
  for (const auto& [width, used] : widths) {
    s << "  type (bus" << width << ") { base_type : array; data_type : bit; bit_width : " << width << "; bit_from : "
      << width - 1 << "; bit_to : 0; downto : true; }\n";
  }
  for (const auto& shape : shapes) {
    s << "  cell (" << shape.cell << ") {\n    area : 0;\n    dont_use : true;\n"
      << "    pin (CLK) { direction : input; clock : true; capacitance : 0.01; }\n";
    for (const char* pin : {"WE", "RE"}) {
      s << "    pin (" << pin << ") {\n      direction : input; capacitance : 0.005;\n" << setup("      ") << "    }\n";
    }
    for (const auto& [bus, width] : {std::pair<const char*, int>{"WADDR", shape.aw}, {"RADDR", shape.aw}, {"WDATA", shape.width}}) {
      s << "    bus (" << bus << ") {\n      bus_type : bus" << width << "; direction : input; capacitance : 0.005;\n"
        << setup("      ") << "    }\n";
    }
    s << "    bus (RDATA) {\n      bus_type : bus" << shape.width << "; direction : output;\n"
      << "      timing () { related_pin : \"CLK\"; timing_type : rising_edge; cell_rise " << scalar(access_ns)
      << " cell_fall " << scalar(access_ns) << " rise_transition " << scalar(0.1) << " fall_transition "
      << scalar(0.1) << " }\n    }\n  }\n";
  }
  s << "}\n";
  return s.str();
}

nlohmann::ordered_json parse_sta_report(const std::string& text) {
  nlohmann::ordered_json timing;
  const auto number_after = [&](const std::string& label) -> std::optional<double> {
    std::smatch match;
    if (!std::regex_search(text, match, std::regex("(^|\\n)" + label + "\\s+(-?[0-9.]+)"))) return std::nullopt;
    return std::stod(match[2].str());
  };
  const auto worst = number_after("worst slack");
  const auto wns = number_after("wns");
  const auto tns = number_after("tns");
  if (!worst || !wns || !tns) throw std::runtime_error("no worst slack, wns and tns in the OpenSTA report");
  timing["worst_slack_ns"] = *worst;
  timing["wns_ns"] = *wns;
  timing["tns_ns"] = *tns;
  // The path: "Startpoint: name (...)", "Endpoint: name (...)", "  T   data arrival time".
  // rename -wire names a flip-flop "<register>\<cell type>": keep the register.
  const auto point = [&](const std::string& label) {
    std::smatch match;
    if (!std::regex_search(text, match, std::regex(label + ": (\\S+)"))) return std::string();
    std::string name = match[1].str();
    const auto cut = name.find('\\');
    return cut == std::string::npos ? name : name.substr(0, cut);
  };
  std::smatch arrival;
  if (std::regex_search(text, arrival, std::regex(R"((-?[0-9.]+)\s+data arrival time)"))) {
    timing["worst_path"] = {{"start", point("Startpoint")}, {"end", point("Endpoint")},
                            {"arrival_ns", std::stod(arrival[1].str())}};
  }
  return timing;
}

nlohmann::ordered_json hierarchy_area(const std::string& stat) {
  // Per module: "=== name ===" ... "Chip area for module '\name': A" (its own cells only: the
  // submodule instances have no area); then "=== design hierarchy ===", a tree of module names
  // indented two spaces per level, each with its instance count per parent instance.
  std::map<std::string, double> own;
  // (a name may hold a quote: $paramod\tandem_requant\CARRY_PARAMS=1'1)
  static const std::regex area_line(R"(Chip area for module '\\?(.+)': ([0-9.eE+-]+))");
  for (std::sregex_iterator it(stat.begin(), stat.end(), area_line), end; it != end; ++it) {
    own[(*it)[1].str()] = std::stod((*it)[2].str());
  }
  const auto at = stat.find("=== design hierarchy ===");
  if (at == std::string::npos) {  // one module: Yosys prints no hierarchy
    if (own.empty()) throw std::runtime_error("no chip area in the Yosys statistics (stat -liberty)");
    nlohmann::ordered_json result;
    result["total_um2"] = own.begin()->second;
    result["by_component_um2"] = {{own.begin()->first, own.begin()->second}};
    return result;
  }
  struct Node { std::string module; int depth; long long count; };
  std::vector<Node> nodes;
  std::istringstream lines(stat.substr(at));
  std::string line;
  std::getline(lines, line);
  static const std::regex node_line(R"(( +)(\S+)\s+(\d+)\s*)");
  std::smatch match;
  while (std::getline(lines, line)) {
    if (line.find_first_not_of(' ') == std::string::npos) {
      if (nodes.empty()) continue;
      break;
    }
    if (!std::regex_match(line, match, node_line)) break;
    nodes.push_back({match[2].str(), static_cast<int>(match[1].length()), std::stoll(match[3].str())});
  }
  if (nodes.empty()) throw std::runtime_error("an empty design hierarchy in the Yosys statistics");
  // A parameterized module is "$paramod$<hash>\name" or "$paramod\name\P=V": the name.
  const auto base = [](const std::string& module) {
    if (module.rfind("$paramod", 0) != 0) return module;
    const auto slash = module.find('\\');
    const auto end = module.find('\\', slash + 1);
    return module.substr(slash + 1, end == std::string::npos ? std::string::npos : end - slash - 1);
  };
  // Subtree areas, bottom up: a node's area is its own plus its children's, times its count.
  std::vector<double> subtree(nodes.size(), 0);
  for (std::size_t i = nodes.size(); i-- > 0;) {
    double sum = own.count(nodes[i].module) ? own[nodes[i].module] : 0;
    for (std::size_t j = i + 1; j < nodes.size() && nodes[j].depth > nodes[i].depth; ++j) {
      if (nodes[j].depth == nodes[i].depth + 2) sum += subtree[j];
    }
    subtree[i] = sum * static_cast<double>(nodes[i].count);
  }
  // The components: the top's own logic; when the top wraps one module (tandem_top around
  // tandem_core) also that module's own logic, and then the modules one level further down,
  // summed by name (e.g. the three scratchpads).
  const auto own_area = [&](const Node& node) {
    return (own.count(node.module) ? own[node.module] : 0) * static_cast<double>(node.count);
  };
  std::vector<std::size_t> children;
  for (std::size_t j = 1; j < nodes.size(); ++j) {
    if (nodes[j].depth == nodes[0].depth + 2) children.push_back(j);
  }
  nlohmann::ordered_json components = nlohmann::ordered_json::object();
  components[base(nodes[0].module) + " (own logic)"] = own_area(nodes[0]);
  int parts_depth = nodes[0].depth + 2;
  if (children.size() == 1 && nodes[children[0]].count == 1) {
    components[base(nodes[children[0]].module) + " (own logic)"] = own_area(nodes[children[0]]);
    parts_depth += 2;
  }
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    if (nodes[i].depth != parts_depth) continue;
    const std::string name = base(nodes[i].module);
    components[name] = components.value(name, 0.0) + subtree[i];
  }
  nlohmann::ordered_json result;
  result["total_um2"] = subtree[0];
  result["by_component_um2"] = components;
  return result;
}

nlohmann::ordered_json asic_route(const fs::path& dir, const SynthOptions& options) {
  require_tool("yosys", "yosys");
  require_tool("sta", "opensta");
  const fs::path build = dir / "build" / "sky130";
  fs::create_directories(build);
  const std::string liberty_in = liberty_path(options);
  const std::string liberty = plain_liberty(liberty_in, build);

  // The clock: the package's SDC, or one written for --clock-mhz.
  std::string sdc = "constraints.sdc";
  if (options.clock_mhz > 0) {
    sdc = "build/sky130/constraints.sdc";
    write_file(dir / sdc, sdc_text(options.clock_mhz));
  }
  const double period_ns = period_of_sdc(read_file(dir / sdc));

  write_file(build / "abc.script", abc_script(period_ns));
  write_file(build / "synth.ys", yosys_script(sram_filelist(dir), liberty));
  nlohmann::ordered_json report;
  report["liberty"] = liberty_in;
  report["yosys"] = run_yosys(dir, "sky130", "build/sky130/synth.ys");

  std::string netlist = read_file(build / "netlist.v");
  const auto shapes = name_sram_macros_by_shape(netlist, macro_name(dir));
  const LibertyPins cells = read_liberty_pins(read_file(liberty));
  const std::size_t buffers = buffer_high_fanout(netlist, cells, kMaxFanout);
  write_file(build / "netlist.v", netlist);
  write_file(build / "sram_macros.lib", sram_macro_liberty(shapes, options.sram_access_ns, options.sram_setup_ns));
  write_file(build / "sta.tcl", sta_script(liberty, sdc));
  run_logged(dir, {"sta", "-no_splash", "-exit", "build/sky130/sta.tcl"}, "build/sky130/sta.log");
  const std::string sta_log = read_file(build / "sta.log");
  if (sta_log.find("Error") != std::string::npos) {
    throw std::runtime_error("OpenSTA reported an error; see " + (build / "sta.log").string());
  }

  const std::string stat = read_file(build / "stat.txt");
  report["cells"] = report["yosys"]["cells"];
  const auto area = hierarchy_area(stat);
  report["area_um2"] = area["total_um2"];
  report["area_by_component_um2"] = area["by_component_um2"];
  nlohmann::ordered_json macros = nlohmann::ordered_json::array();
  for (const auto& shape : shapes) {
    macros.push_back({{"cell", shape.cell}, {"width", shape.width}, {"depth", shape.depth}, {"instances", shape.instances}});
  }
  report["sram_macros"] = macros;
  report["fanout_buffers"] = {{"cell", pick_buffer(cells)}, {"inserted", buffers}, {"max_fanout", kMaxFanout}};
  report["sram_timing_assumed"] = {{"access_ns", options.sram_access_ns}, {"setup_ns", options.sram_setup_ns}};
  report["clock_period_ns"] = period_ns;
  report["clock_mhz"] = 1000.0 / period_ns;
  const auto timing = parse_sta_report(sta_log);
  for (const auto& [key, value] : timing.items()) report[key] = value;
  // The shortest period that would meet the worst path: the period less its slack.
  const double critical_ns = period_ns - timing["worst_slack_ns"].get<double>();
  report["critical_path_ns"] = critical_ns;
  report["fmax_mhz"] = 1000.0 / critical_ns;
  report["meets_clock"] = timing["worst_slack_ns"].get<double>() >= 0;
  report["note"] = "area excludes the SRAM macros (black boxes with assumed timing, sram_macros.lib); no wire load, "
                   "ideal clock: a pre-layout figure";
  return report;
}

}  // namespace tandem
