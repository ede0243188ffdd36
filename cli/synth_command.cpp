// `tandem synth DIR --target ice40|xilinx|generic`: synthesis (and iCE40 place and route) of an
// exported package; figures into DIR/synth_<target>.json and a table (docs/handoff.md).
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
               "utilization); writes DIR/synth_<target>.json");
  cmd->add_option("DIR", *dir, "package directory written by `tandem export`")->required();
  cmd->add_option("--target", options->target, "ice40 | xilinx | generic")
      ->check(CLI::IsMember({"ice40", "xilinx", "generic"}))
      ->capture_default_str();
  cmd->add_option("--device", options->device, "iCE40 device: up5k | hx8k")
      ->check(CLI::IsMember({"up5k", "hx8k"}))
      ->capture_default_str();
  cmd->add_option("--liberty", options->liberty, "generic: map to this Liberty library");
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
