// The ASIC route of `tandem synth` (--target sky130, or any Liberty library): Yosys + ABC
// mapping to standard cells, OpenSTA timing (handoff/asic_route.cpp, docs/handoff.md).
// Internal to the handoff stage; the readers are here so that tests can feed them made-up
// tool output.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "handoff/handoff.h"

namespace tandem {

// Runs the route in DIR (an exported package); the figures of DIR/synth_sky130.json.
nlohmann::ordered_json asic_route(const std::filesystem::path& dir, const SynthOptions& options);

// One SRAM macro shape of a mapped netlist: its Liberty cell name, bank width, depth and
// address bits, and how many banks have it.
struct SramShape {
  std::string cell;
  int width = 0, depth = 0, aw = 0;
  int instances = 0;
};

// Replaces every parameterized instance of `macro` in a Yosys netlist by an instance of a
// per-shape cell `<macro>_w<WIDTH>_d<DEPTH>` (OpenSTA reads no parameters); returns the shapes.
std::vector<SramShape> name_sram_macros_by_shape(std::string& netlist, const std::string& macro);

// A Liberty library with one cell per shape: CLK, setup of every input, clock to RDATA.
std::string sram_macro_liberty(const std::vector<SramShape>& shapes, double access_ns, double setup_ns);

// OpenSTA's report_checks (with -fields {net}), report_worst_slack, report_wns and
// report_tns: {"worst_slack_ns", "wns_ns", "tns_ns", "worst_path": {"start", "end",
// "arrival_ns"}}. Throws when the slacks are missing.
nlohmann::ordered_json parse_sta_report(const std::string& text);

// Yosys `stat -liberty` of a hierarchical design: {"total_um2", "by_component_um2"} with the
// top's own logic, the core's own logic, and each module under the core (with its submodules).
nlohmann::ordered_json hierarchy_area(const std::string& stat);

// What the fanout buffering needs of a Liberty library: per cell, its area, each pin's
// direction (true: input) and each output's function.
struct LibertyCell {
  double area = 0;
  std::map<std::string, bool> inputs;
  std::map<std::string, std::string> functions;
  bool has_bus = false;
};
using LibertyPins = std::map<std::string, LibertyCell>;
LibertyPins read_liberty_pins(const std::string& text);

// The library's buffer for fanout trees: a one-input cell whose output function is its input,
// the strongest within 3x the smallest buffer's area (not delay cells or low-power variants).
std::string pick_buffer(const LibertyPins& pins);

// Splits every net of a flat Yosys netlist that a cell drives into more than `max_fanout`
// input pins into a tree of buffers with at most `max_fanout` loads each (pins on bus
// concatenations, e.g. SRAM macro data, stay on the net); returns the buffers inserted.
std::size_t buffer_high_fanout(std::string& netlist, const LibertyPins& pins, int max_fanout);

}  // namespace tandem
