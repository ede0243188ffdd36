// The handoff stage's public header (docs/handoff.md): `tandem export` writes a package for
// FPGA and ASIC tools, `tandem synth` runs those tools on it and reads their reports back.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/accelerator_config.h"
#include "cosim/rtl_cosim.h"
#include "generator/generator.h"

namespace tandem {

// `tandem export`: a self-contained handoff package for one accelerator configuration
// (docs/handoff.md): the RTL package, a self-checking testbench with the vectors of a real layer,
// a Makefile, a FuseSoC core, Yosys scripts per target, the FPGA scan wrapper, the SRAM-macro
// variant, and a README with the measured latency, energy and area.

struct ExportOptions {
  std::string network = "zoo:proxy_mobilenet_v1";  // YAML, CSV or zoo:NAME
  std::string layer;                 // empty: the first conv2d layer that maps
  std::uint64_t seed = 1;
  bool whole_network = false;        // latency of every layer (simulate_network), not just one
  bool measure = true;               // run the RTL co-simulation for the README's numbers
  std::string sram_macro = "tandem_sram_1r1w";  // the black-box macro the SRAM variant names
  // The packaged RTL. Measurements always run the fully instrumented RTL (same function and
  // cycles); the testbench checks the packaged RTL against them.
  GeneratorOptions rtl;
  CosimOptions cosim;
};

struct ExportSummary {
  std::string hash, network, layer;
  std::uint64_t layer_cycles = 0;    // 0 when not measured
  std::uint64_t network_cycles = 0;  // 0 unless whole_network
  double energy_pj = 0;              // of the layer, 0 when not measured
  double area_mm2 = 0;
  std::size_t files = 0;
};

ExportSummary export_package(const AcceleratorConfig& config, const ExportOptions& options,
                             const std::filesystem::path& dir);

// `tandem synth DIR --target ice40|xilinx|generic|sky130`: runs Yosys (and nextpnr-ice40 for
// iCE40, OpenSTA for sky130) on an exported package and reads the results back: cells, FPGA
// resources, area, Fmax.

struct SynthOptions {
  std::string target = "ice40";  // ice40 | xilinx | generic | sky130
  std::string device = "up5k";   // iCE40 only: up5k | hx8k
  // generic: map to this Liberty library's cells; sky130: the library to map to and time
  // against instead of tandem's sky130_fd_sc_hd typical (technology/sky130/).
  std::string liberty;
  int clock_mhz = 0;             // sky130: the clock to time at (0: the package's constraints.sdc)
  double sram_access_ns = 2.0;   // sky130: assumed SRAM macro clock-to-data and setup
  double sram_setup_ns = 0.3;
};

// Runs the target's flow inside `dir`, writes DIR/synth_<target>.json and returns the JSON.
// sky130: "cells", "area_um2", "area_by_component_um2", "sram_macros", "worst_slack_ns",
// "wns_ns", "tns_ns", "worst_path", "critical_path_ns", "fmax_mhz", "meets_clock".
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

// A `stat` block of a Yosys log: {"cells": N, "cell_types": {type: count}, "area": A?}. The last
// block (the whole design) by default; with `module`, the first block whose `=== title ===`
// names it (a parameterized module's title contains its name). Throws when there is none.
nlohmann::ordered_json parse_yosys_stat(const std::string& log, const std::string& module = "");

}  // namespace tandem
