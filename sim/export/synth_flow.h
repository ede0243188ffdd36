// `tandem synth DIR --target ice40|xilinx|generic`: runs Yosys (and nextpnr-ice40 for iCE40) on
// an exported package and reads the results back: cells, FPGA resources, Fmax.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace tandem {

struct SynthOptions {
  std::string target = "ice40";  // ice40 | xilinx | generic
  std::string device = "up5k";   // iCE40 only: up5k | hx8k
  std::string liberty;           // generic only: map to this Liberty library's cells
};

// Runs the target's flow inside `dir`, writes DIR/synth_<target>.json and returns the JSON.
// Throws std::runtime_error naming the Debian package when a tool is missing, and with the log's
// path when a tool fails. iCE40: "fits" is false (and there is no "fmax_mhz") when the design
// packs but cannot be placed on the device; "utilization" is then nextpnr's packing report.
// Fmax: nextpnr_timing below.
nlohmann::ordered_json run_synth(const std::filesystem::path& dir, const SynthOptions& options);

// For people: one line per figure.
std::string synth_table(const nlohmann::ordered_json& report);

// The timing of nextpnr's --report JSON: "fmax_mhz", the slowest real clock's achieved Fmax;
// when paths end or start at combinational DSP blocks (nextpnr-ice40 clocks them by the constant
// net and cuts paths there), also "fmax_through_dsps_mhz" (the worst path into a DSP, between
// two and out of one, added) and "fmax_note".
nlohmann::ordered_json nextpnr_timing(const nlohmann::json& pnr);

// nextpnr's "Device utilisation" block: {resource: {"used", "available"}} for resources in use;
// empty when the log has none.
nlohmann::ordered_json parse_nextpnr_utilization(const std::string& log);

// The last `stat` block of a Yosys log: {"cells": N, "cell_types": {type: count}, "area": A?}.
nlohmann::ordered_json parse_yosys_stat(const std::string& log);

}  // namespace tandem
