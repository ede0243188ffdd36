#include "search/validation.h"

#include <filesystem>
#include <fstream>

#include "core/accelerator_yaml.h"
#include "generator/generator.h"
#include "models/network_io.h"
#include "sim/network_simulation.h"

namespace tandem {
namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string first_problem(const NetworkMetrics& metrics) {
  for (const LayerMetrics& layer : metrics.layers) {
    if (!layer.ok()) return "layer " + layer.name + ": " + layer.error;
    if (layer.bit_exact && !*layer.bit_exact) return "layer " + layer.name + ": not bit-exact against the golden reference";
  }
  return "";
}

}  // namespace

ValidatedDesign validate_design(const SearchFlow& flow, const TrialRecord& trial, const Network& network,
                                const std::string& cache_dir) {
  ValidatedDesign design;
  design.trial = trial.number;
  const fs::path dir = fs::path(flow.flow.output_dir) / "designs" / ("trial_" + std::to_string(trial.number));
  design.directory = dir.string();
  try {
    fs::create_directories(dir);
    write_text(dir / "accelerator.yaml", accelerator_to_yaml(trial.accelerator));
    write_text(dir / "network.yaml", network_to_yaml(network));
    write_package(generate_rtl(trial.accelerator), dir / "rtl");

    SimulationOptions options;
    options.evaluator = "both";  // RTL outputs against the golden reference, cycles against the model
    options.seed = flow.flow.seed;
    options.cosim.cache_dir = cache_dir;
    const NetworkMetrics metrics = simulate_network(network, trial.accelerator, options);
    write_text(dir / "metrics.json", to_json(metrics).dump(2) + "\n");
    design.latency_us = metrics.latency_us();
    design.energy_uj = metrics.total_energy_pj()["total"] / 1e6;
    design.message = first_problem(metrics);
    if (design.message.empty() && trial.cycles && metrics.total_cycles() != *trial.cycles) {
      design.message = "the RTL took " + std::to_string(metrics.total_cycles()) + " cycles, the search's analytic " +
                       "model " + std::to_string(*trial.cycles);
    }
    design.ok = design.message.empty();
    if (design.ok) {
      design.message = "every layer bit-exact on the RTL and cycle-equal to the analytic model";
    }
  } catch (const std::exception& e) {
    design.ok = false;
    design.message = e.what();
  }
  nlohmann::ordered_json record{{"trial", design.trial},       {"ok", design.ok},
                                {"message", design.message},   {"latency_us", design.latency_us},
                                {"energy_uj", design.energy_uj}, {"analytic_latency_us", trial.latency_us.value_or(0)},
                                {"analytic_energy_uj", trial.energy_uj.value_or(0)}};
  std::error_code ignored;
  fs::create_directories(dir, ignored);
  std::ofstream(dir / "validation.json") << record.dump(2) << "\n";
  return design;
}

}  // namespace tandem
