// `tandem synth DIR --target ice40|xilinx|generic|sky130`: synthesis (and iCE40 place and route,
// sky130 static timing) of an exported package; figures into DIR/synth_<target>.json and a table
// (docs/handoff.md).
#include <iostream>

#include "cli/command_registry.h"
#include "handoff/handoff.h"

namespace tandem::cli {
namespace {

void setup(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto options = std::make_shared<SynthOptions>();
  CLI::App* cmd = app.add_subcommand(
      "synth", "Synthesize an exported package with Yosys (iCE40: also nextpnr-ice40 for Fmax and "
               "utilization; sky130: standard cells timed by OpenSTA for area, WNS/TNS and Fmax); writes "
               "DIR/synth_<target>.json");
  cmd->add_option("DIR", *dir, "package directory written by `tandem export`")->required();
  cmd->add_option("--target", options->target, "ice40 | xilinx | generic | sky130")
      ->check(CLI::IsMember({"ice40", "xilinx", "generic", "sky130"}))
      ->capture_default_str();
  cmd->add_option("--device", options->device, "iCE40 device: up5k | hx8k")
      ->check(CLI::IsMember({"up5k", "hx8k"}))
      ->capture_default_str();
  cmd->add_option("--liberty", options->liberty,
                  "generic: map to this Liberty library; sky130: map to and time against this library "
                  "(.lib or .lib.gz) instead of sky130_fd_sc_hd typical");
  cmd->add_option("--clock-mhz", options->clock_mhz, "sky130: time at this clock (default: the package's SDC)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--sram-access-ns", options->sram_access_ns,
                  "sky130: assumed SRAM macro clock-to-data time (the macros are black boxes)")
      ->check(CLI::Range(0.0, 1000.0))
      ->capture_default_str();
  cmd->callback([dir, options] {
    const auto report = run_synth(*dir, *options);
    std::cout << synth_table(report) << "wrote " << *dir << "/synth_" << options->target << ".json\n";
    // A design that does not fit the device is a failed run, with its figures still reported.
    if (report.contains("fits") && !report["fits"].get<bool>()) {
      std::cerr << "error: the design does not fit the " << options->device << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}

RegisterCommand registration("synth", setup);

}  // namespace
}  // namespace tandem::cli
