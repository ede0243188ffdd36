#include "search/validation.h"

#include <algorithm>
#include <filesystem>

#include "core/accelerator_yaml.h"
#include "core/files.h"
#include "generator/generator.h"
#include "models/network_io.h"
#include "search/study.h"
#include "sim/network_simulation.h"

namespace tandem {
namespace {

namespace fs = std::filesystem;

std::string first_problem(const NetworkMetrics& metrics) {
  for (const LayerMetrics& layer : metrics.layers) {
    if (!layer.ok()) return "layer " + layer.name + ": " + layer.error;
    if (layer.bit_exact && !*layer.bit_exact) return "layer " + layer.name + ": not bit-exact against the golden reference";
  }
  return "";
}

}  // namespace

std::string design_directory(const SearchFlow& flow, std::int64_t trial) {
  return (fs::path(flow.flow.output_dir) / "designs" / ("trial_" + std::to_string(trial))).string();
}

ValidationRecord validate_design(const SearchFlow& flow, const TrialRecord& trial, const Network& network,
                                 const std::string& cache_dir, std::optional<double> retrained_accuracy) {
  ValidationRecord design;
  design.trial = trial.number;
  design.retrained_accuracy = retrained_accuracy;
  design.analytic_latency_us = trial.latency_us;
  design.analytic_energy_uj = trial.energy_uj;
  const fs::path dir = design_directory(flow, trial.number);
  try {
    fs::create_directories(dir);
    write_file(dir / "accelerator.yaml", accelerator_to_yaml(trial.accelerator));
    write_network_directory(network, (dir / "network").string());
    write_package(generate_rtl(trial.accelerator), dir / "rtl");

    SimulationOptions options;
    options.evaluator = "both";  // RTL outputs against the golden reference, RTL cycles against the model
    options.seed = flow.flow.seed;
    options.cosim.cache_dir = cache_dir;
    const NetworkMetrics metrics = simulate_network(network, trial.accelerator, options);
    design.rtl_metrics = to_json(metrics);
    write_file(dir / "metrics.json", design.rtl_metrics.dump(2) + "\n");
    // Measured: the layers' cycles and counters come from the RTL (evaluator "both").
    design.rtl_latency_us = metrics.latency_us();
    const bool every_layer_priced = std::all_of(metrics.layers.begin(), metrics.layers.end(),
                                                [](const LayerMetrics& layer) { return !layer.energy_pj.empty(); });
    if (every_layer_priced) design.rtl_energy_uj = metrics.total_energy_pj()["total"] / 1e6;
    design.message = first_problem(metrics);
    if (design.message.empty() && trial.cycles && metrics.total_cycles() != *trial.cycles) {
      design.message = "the RTL took " + std::to_string(metrics.total_cycles()) + " cycles, the search's analytic " +
                       "model " + std::to_string(*trial.cycles) + " (trial " + std::to_string(trial.number) + ")";
    }
    design.agree = design.message.empty();
    if (design.agree) {
      design.message = "every layer bit-exact on the RTL and cycle-equal to the analytic model";
    }
  } catch (const std::exception& e) {
    design.agree = false;
    design.message = e.what();
  }
  design.finished_at = utc_timestamp();
  nlohmann::json summary = to_json(design);
  summary.erase("rtl_metrics");  // metrics.json has them
  write_file_atomically(dir / "validation.json", summary.dump(2) + "\n");
  return design;
}

}  // namespace tandem
