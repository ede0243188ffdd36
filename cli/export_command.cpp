// `tandem export (--accel A.yaml | --study S --trial N) -o DIR`: the handoff package of one
// design (docs/handoff.md).
#include <iostream>

#include "cli/command_registry.h"
#include "core/accelerator_yaml.h"
#include "sim/export/export_package.h"

namespace tandem::cli {
namespace {

struct ExportCliOptions {
  std::string accelerator_file, study, output_dir, cache_dir;
  int trial = -1;
  bool no_measure = false;
  ExportOptions package;
};

void run_export(ExportCliOptions& o) {
  if (!o.study.empty()) {
    // The search that records studies is not built yet (docs/handoff.md).
    std::cerr << "tandem export: --study: studies do not exist yet (the search is not built); "
                 "export a configuration with --accel A.yaml\n";
    throw CLI::RuntimeError(2);
  }
  if (o.accelerator_file.empty()) throw CLI::RequiredError("--accel or --study");
  const AcceleratorConfig config = load_accelerator_file(o.accelerator_file);
  o.package.measure = !o.no_measure;
  o.package.cosim.cache_dir = o.cache_dir;
  const ExportSummary s = export_package(config, o.package, o.output_dir);
  std::cout << "exported accelerator " << s.hash << " to " << o.output_dir << " (" << s.files
            << " files); vectors: " << s.network << " layer " << s.layer;
  if (s.layer_cycles > 0) std::cout << ", " << s.layer_cycles << " cycles";
  if (s.network_cycles > 0) std::cout << "; network " << s.network_cycles << " cycles";
  std::cout << "\nrun the testbench: make -C " << o.output_dir << " sim-icarus sim-verilator\n";
}

void setup(CLI::App& app) {
  auto o = std::make_shared<ExportCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Export a design as a self-contained package: RTL, self-checking testbench with a "
                "real layer's vectors, Makefile, FuseSoC core, Yosys scripts, SDC, README");
  auto* accel = cmd->add_option("--accel", o->accelerator_file, "accelerator YAML");
  auto* study = cmd->add_option("--study", o->study, "study of a search (not available yet)");
  cmd->add_option("--trial", o->trial, "trial of the study")->needs(study);
  accel->excludes(study);
  cmd->add_option("-o,--output", o->output_dir, "output directory")->required();
  cmd->add_option("--network", o->package.network, "network YAML, SCALE-Sim CSV or zoo:NAME")
      ->capture_default_str();
  cmd->add_option("--layer", o->package.layer, "layer for the test vectors (default: the first conv2d that maps)");
  cmd->add_option("--seed", o->package.seed, "seed of random weights and input")->capture_default_str();
  cmd->add_flag("--whole-network", o->package.whole_network,
                "also measure the whole network's latency on the RTL (every layer)");
  cmd->add_flag("--no-measure", o->no_measure, "skip the RTL co-simulation (README says not measured)");
  cmd->add_option("--sram-macro", o->package.sram_macro, "SRAM macro module the SRAM variant instantiates")
      ->capture_default_str();
  cmd->add_option("--cache-dir", o->cache_dir, "simulator cache (default ~/.cache/tandem)");
  cmd->callback([o] { run_export(*o); });
}

RegisterCommand registration("export", setup);

}  // namespace
}  // namespace tandem::cli
