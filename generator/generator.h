// The RTL generator: AcceleratorConfig -> a complete RTL package (docs/generator.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/accelerator_config.h"

namespace tandem {

struct GeneratedFile {
  std::string path;  // relative to the package directory, e.g. "rtl/tandem_top.v"
  std::string text;
};

// Choices that change the RTL but not the accelerator's function, cycles or configuration hash.
struct GeneratorOptions {
  // false: the core keeps only the `cycles` counter (other counter addresses read 0), which
  // saves a third of a small FPGA build; co-simulation and energy need every counter.
  bool activity_counters = true;
  // PEs (the first, row-major) whose 8x8 multiplier is built in logic rather than inferred as
  // a DSP block: for FPGAs with fewer DSPs than the PEs plus the vector unit's. 0..rows*cols.
  int logic_multipliers = 0;
  // false: the requantizers form their 32x32 product whole instead of in two halves: fewer
  // LUTs on a small FPGA (whose DSP blocks build it), too slow for 100 MHz on sky130 cells.
  bool split_requant_product = true;
};

struct RtlPackage {
  AcceleratorConfig config;
  GeneratorOptions options;
  std::string hash;
  std::vector<GeneratedFile> rtl;  // in dependency order (the filelist order)
  GeneratedFile filelist;          // filelist.f
  GeneratedFile synth_script;      // synth.ys
  GeneratedFile constraints;       // constraints.sdc
  GeneratedFile manifest;          // manifest.json: config, hash, version, files with sha256

  std::vector<const GeneratedFile*> all_files() const;
};

// Builds the package in memory. Throws std::invalid_argument naming the violated parameter if
// the configuration is outside the declared space (nothing is written then).
RtlPackage generate_rtl(const AcceleratorConfig& config, const GeneratorOptions& options = {});

// Writes every file below `dir` (created if needed).
void write_package(const RtlPackage& package, const std::filesystem::path& dir);

// The Verilog sources that make up the accelerator, by file name (embedded at build time).
const std::vector<GeneratedFile>& rtl_templates();

}  // namespace tandem
