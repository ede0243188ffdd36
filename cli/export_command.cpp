// `tandem export (--accel A.yaml | --study S --trial N) -o DIR`: the handoff package of one
// design (docs/handoff.md): a configuration, or a search's trial with its trained network.
#include <filesystem>
#include <iostream>

#include "cli/command_registry.h"
#include "cli/generator_cli.h"
#include "core/accelerator_yaml.h"
#include "search/study.h"
#include "search/study_path.h"
#include "handoff/handoff.h"

namespace tandem::cli {
namespace {

struct ExportCliOptions {
  std::string accelerator_file, study, output_dir, cache_dir;
  int trial = -1;
  bool network_given = false;
  bool no_measure = false;
  ExportOptions package;
};

// The network a study's trial ran: its trained int8 network, or the one its RTL validation wrote.
std::string trial_network(const std::string& study_path, const TrialRecord& trial) {
  namespace fs = std::filesystem;
  if (trial.accuracy_detail.is_object() && trial.accuracy_detail.contains("network_file")) {
    const std::string file = trial.accuracy_detail["network_file"].get<std::string>();
    if (fs::exists(file)) return file;
  }
  const fs::path validated = fs::path(study_path).parent_path() / "designs" /
                             ("trial_" + std::to_string(trial.number)) / "network" / "network.yaml";
  return fs::exists(validated) ? validated.string() : "";
}

AcceleratorConfig design_to_export(ExportCliOptions& o) {
  if (o.study.empty()) {
    if (o.accelerator_file.empty()) throw CLI::RequiredError("--accel or --study");
    return load_accelerator_file(o.accelerator_file);
  }
  if (o.trial < 0) throw CLI::RequiredError("--trial (with --study)");
  const std::string path = resolve_study_path(o.study);
  const std::optional<TrialRecord> trial = Study::open(path).find(o.trial);
  if (!trial) {
    throw CLI::ValidationError("--trial", "study " + path + " has no trial " + std::to_string(o.trial) +
                                              " (tandem study show " + o.study + " lists them)");
  }
  if (!o.network_given) {
    const std::string network = trial_network(path, *trial);
    if (!network.empty()) o.package.network = network;
    else std::cerr << "tandem export: trial " << o.trial << " left no network file; vectors from " << o.package.network << "\n";
  }
  return trial->accelerator;
}

void run_export(ExportCliOptions& o) {
  const AcceleratorConfig config = design_to_export(o);
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
  auto* study = cmd->add_option("--study", o->study, "a search's study (study.db or its output directory)");
  cmd->add_option("--trial", o->trial, "trial of the study")->needs(study);
  accel->excludes(study);
  cmd->add_option("-o,--output", o->output_dir, "output directory")->required();
  auto* network = cmd->add_option("--network", o->package.network,
                                  "network YAML, ONNX model, a one-row SCALE-Sim CSV or zoo:NAME (default with --study: the trial's "
                                  "trained network)")
                      ->capture_default_str();
  cmd->add_option("--layer", o->package.layer, "layer for the test vectors (default: the first conv2d that maps)");
  cmd->add_option("--seed", o->package.seed, "seed of random weights and input")->capture_default_str();
  cmd->add_flag("--whole-network", o->package.whole_network,
                "also measure the whole network's latency on the RTL (every layer)");
  cmd->add_flag("--no-measure", o->no_measure, "skip the RTL co-simulation (README says not measured)");
  cmd->add_option("--sram-macro", o->package.sram_macro, "SRAM macro module the SRAM variant instantiates")
      ->capture_default_str();
  add_generator_options(cmd, o->package.rtl);
  cmd->add_option("--cache-dir", o->cache_dir, "simulator cache (default ~/.cache/tandem)");
  cmd->callback([o, network] {
    o->network_given = network->count() > 0;
    run_export(*o);
  });
}

RegisterCommand registration("export", setup);

}  // namespace
}  // namespace tandem::cli
