// `tandem export`: a self-contained handoff package for one accelerator configuration
// (docs/handoff.md): the RTL package, a self-checking testbench with the vectors of a real layer,
// a Makefile, a FuseSoC core, Yosys scripts per target, the FPGA scan wrapper, the SRAM-macro
// variant, and a README with the measured latency, energy and area.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/accelerator_config.h"
#include "generator/generator.h"
#include "sim/rtl_cosim.h"

namespace tandem {

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

}  // namespace tandem
