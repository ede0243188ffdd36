#include "handoff/handoff.h"

#include <sstream>
#include <stdexcept>

#include "core/table.h"
#include "core/files.h"
#include "generator/generator.h"
#include "models/network_io.h"
#include "cost/cost.h"
#include "handoff/hex_files.h"
#include "handoff/layer_vectors.h"
#include "handoff/package_scripts.h"
#include "handoff/testbench.h"
#include "sim/network_simulation.h"

namespace tandem {

namespace {

// The accelerator's Verilog files (no include files), in filelist order.
std::vector<std::string> verilog_sources(const RtlPackage& package) {
  std::vector<std::string> sources;
  for (const auto& file : package.rtl) {
    if (file.path.size() > 2 && file.path.compare(file.path.size() - 2, 2, ".v") == 0) {
      sources.push_back(file.path);
    }
  }
  return sources;
}

std::vector<std::string> with_sram_scratchpad(std::vector<std::string> sources) {
  for (auto& source : sources) {
    if (source == "rtl/tandem_scratchpad.v") source = kSramScratchpad;
  }
  sources.insert(sources.begin(), kSramWrapper);
  return sources;
}

std::string readme_text(const AcceleratorConfig& config, const ExportSummary& s,
                        const LayerVectors& vectors, const ExportOptions& options,
                        const AreaBreakdown& area) {
  std::ostringstream text;
  text << "# tandem accelerator " << s.hash << "\n\n"
       << "Exported by `tandem export` (see tandem's docs/handoff.md). Nothing here needs tandem.\n\n"
       << "## Configuration\n\n"
       << "- array " << config.array.rows << "x" << config.array.cols << ", "
       << dataflow_name(config.array.dataflow) << "\n"
       << "- buffers: input " << config.buffers.input_kib << " KiB, weight "
       << config.buffers.weight_kib << " KiB, output " << config.buffers.output_kib << " KiB, "
       << config.buffers.banks << " banks\n"
       << "- vector unit: " << config.vector.lanes << " lanes\n"
       << "- DRAM: " << config.dram.bytes_per_cycle << " bytes/cycle, "
       << config.dram.latency_cycles << " cycles latency\n"
       << "- clock: " << config.clock_mhz << " MHz (constraints.sdc)\n"
       << "- requantizer pipeline: " << config.requant_latency << " stages (requant_latency)\n"
       << "- activity counters: "
       << (options.rtl.activity_counters
               ? "all (docs/isa.md)"
               : "`cycles` only (exported with --counters cycles; the other counter addresses "
                 "read 0; the measurements below ran the fully instrumented RTL, whose function "
                 "and cycles are the same, and the testbench checks both)")
       << "\n\n"
       << "Full configuration and file hashes: manifest.json.\n\n"
       << "## Network and test vectors\n\n"
       << "Network `" << options.network << "` (" << s.network << "), seed " << options.seed
       << ". The testbench runs layer `" << s.layer << "` (" << vectors.layer_kind << "): "
       << vectors.program.instructions.size() << " instructions, "
       << vectors.program.dram_bytes << " bytes of DRAM, " << vectors.expected.size()
       << " output bytes checked against tandem's golden int8 reference.\n\n"
       << "## Measured\n\n";
  const double us_per_cycle = 1.0 / config.clock_mhz;
  if (s.layer_cycles > 0) {
    text << "- latency of `" << s.layer << "`: " << s.layer_cycles << " cycles ("
         << s.layer_cycles * us_per_cycle << " us at " << config.clock_mhz
         << " MHz), RTL co-simulation (Verilator)\n";
  } else {
    text << "- latency: not measured (exported with --no-measure)\n";
  }
  if (s.network_cycles > 0) {
    text << "- latency of the whole network: " << s.network_cycles << " cycles ("
         << s.network_cycles * us_per_cycle << " us), every layer on the RTL\n";
  }
  if (s.energy_pj > 0) {
    text << "- energy of `" << s.layer << "`: " << s.energy_pj / 1e6
         << " uJ (activity counters x tandem's default technology, Horowitz 45 nm)\n";
  } else {
    text << "- energy: not measured\n";
  }
  Table files;
  files.headers = {"path", "what"};
  files.rows = {
      {"rtl/", "the accelerator (top: tandem_top), filelist.f"},
      {"tb/tandem_tb.sv, tb/vectors/*.hex", "self-checking testbench and its vectors"},
      {"Makefile", "`make sim-icarus`, `make sim-verilator`, `make lint`"},
      {"tandem.core", "FuseSoC CAPI2 core (targets default, sim, synth)"},
      {"synth.ys, synth/ice40.ys, synth/xilinx.ys", "Yosys: generic, iCE40, Xilinx"},
      {"constraints.sdc", "clock and I/O constraints"},
      {"rtl/fpga/tandem_fpga_top.v", "block-RAM I/O wrapper for place and route on small FPGAs"},
      {"rtl/sram/, filelist_sram.f, synth/sram_blackbox.v, synth/sram.ys",
       "scratchpad banks as SRAM macro `" + options.sram_macro + "` instances"}};
  text << "- area: " << area.total() << " mm^2 estimated (" << area.logic() << " logic, "
       << area.buffers() << " SRAM; default technology model, not a synthesis result)\n\n"
       << "## Files\n\n"
       << files.markdown() << "\n"
       << "## Scratchpads: block RAM or SRAM macros\n\n"
       << "The default scratchpad (rtl/tandem_scratchpad.v) banks are 1R1W memories with registered\n"
       << "reads, which Yosys maps to block RAM (SB_RAM40_4K, RAMB18/36). For an ASIC, use\n"
       << "filelist_sram.f: it replaces that file with rtl/sram/tandem_scratchpad_sram.v, whose banks\n"
       << "instantiate rtl/sram/tandem_sram_wrapper.v; edit the wrapper to match your macro's ports.\n"
       << "`yosys -s synth/sram.ys` synthesizes that variant around the macro as a black box\n"
       << "(synth_sram_stat.txt: one macro instance per bank).\n";
  return text.str();
}

}  // namespace

ExportSummary export_package(const AcceleratorConfig& config, const ExportOptions& options,
                             const std::filesystem::path& dir) {
  if (mesh_cores(config) != 1) {
    throw std::invalid_argument(
        "accelerator.mesh: a mesh of " + std::to_string(config.mesh.x) + "x" + std::to_string(config.mesh.y) +
        " cores is not exported yet (the package's testbench, FPGA wrapper and synthesis flows drive "
        "one core); export the core (mesh 1x1), or write the mesh's RTL with `tandem generate`");
  }
  const RtlPackage package = generate_rtl(config, options.rtl);
  const Network network = load_network(options.network);
  const LayerVectors vectors = make_layer_vectors(network, config, options.layer, options.seed);

  ExportSummary summary;
  summary.hash = package.hash;
  summary.network = vectors.network;
  summary.layer = vectors.layer;
  if (options.measure) {
    const CosimResult rtl = run_rtl_cosim(vectors.program, options.cosim);
    if (!rtl.ok) throw std::runtime_error("co-simulation of " + vectors.layer + ": " + rtl.diagnosis);
    if (rtl.outputs.at(0) != vectors.expected) {
      throw std::runtime_error("co-simulation of " + vectors.layer + " disagrees with the golden output");
    }
    summary.layer_cycles = rtl.cycles;
    summary.energy_pj = estimate_energy(config, rtl.counters, default_technology()).total();
  }
  if (options.whole_network) {
    SimulationOptions simulation;
    simulation.evaluator = "rtl";  // measured numbers for the README, not the model's
    simulation.seed = options.seed;
    simulation.cosim = options.cosim;
    const NetworkMetrics metrics = simulate_network(network, config, simulation);
    if (!metrics.all_ok()) throw std::runtime_error("some layers of " + network.name + " failed on the RTL");
    summary.network_cycles = metrics.total_cycles();
  }
  const AreaBreakdown area = estimate_area(config, default_technology());
  summary.area_mm2 = area.total();

  // Watchdog cap: generous over the measured run, or a fixed ceiling when not measured.
  const std::uint64_t max_cycles =
      summary.layer_cycles > 0 ? 4 * summary.layer_cycles + 100000 : 100000000;
  const std::vector<std::string> rtl = verilog_sources(package);
  const std::vector<std::string> sram_rtl = with_sram_scratchpad(rtl);
  const std::vector<std::pair<std::string, std::string>> files = {
      {"tb/tandem_tb.sv", testbench_text(config, vectors, max_cycles, summary.layer_cycles,
                                                 options.rtl.activity_counters)},
      {kProgramHex, instructions_hex(vectors.program)},
      {kDramHex, dram_image_hex(vectors.program)},
      {kExpectedHex, bytes_hex(vectors.expected)},
      {"Makefile", makefile_text(rtl)},
      {"tandem.core", fusesoc_core_text(package.hash, rtl)},
      {"synth/ice40.ys", yosys_target_script("ice40", rtl)},
      {"synth/xilinx.ys", yosys_target_script("xilinx", rtl)},
      {"synth/sram.ys", yosys_target_script("sram", sram_rtl)},
      {kFpgaTop, fpga_top_text(config)},
      {kSramScratchpad, sram_scratchpad_text()},
      {kSramWrapper, sram_wrapper_text(options.sram_macro)},
      {"synth/sram_blackbox.v",
       "// The SRAM macro as a black box, for Yosys: read_verilog -sv -lib synth/sram_blackbox.v\n"
       "(* blackbox *)\nmodule " + options.sram_macro +
           " #(parameter int WIDTH = 32, parameter int DEPTH = 256, parameter int AW = 8) (\n"
           "    input logic CLK, WE, RE,\n    input logic [AW-1:0] WADDR, RADDR,\n"
           "    input logic [WIDTH-1:0] WDATA,\n    output logic [WIDTH-1:0] RDATA\n);\nendmodule\n"},
      {"filelist_sram.f", "+incdir+rtl\n" + [&] {
         std::string list;
         for (const auto& source : sram_rtl) list += source + "\n";
         return list;
       }()},
      {"README.md", readme_text(config, summary, vectors, options, area)},
  };
  write_package(package, dir);
  for (const auto& [path, text] : files) write_file(dir / path, text);
  summary.files = package.all_files().size() + files.size();
  return summary;
}

}  // namespace tandem
