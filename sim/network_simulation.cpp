#include "sim/network_simulation.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "models/random_quantization.h"
#include "analytic/analytic_model.h"
#include "cost/cost.h"
#include "compiler/compiler.h"
#include "golden/golden.h"
#include "sim/synthetic_layer.h"

namespace tandem {

const std::vector<std::string>& simulation_evaluators() {
  static const std::vector<std::string> evaluators = {"analytic", "rtl", "both"};
  return evaluators;
}

namespace {

bool selected(const SimulationOptions& options, const std::string& name) {
  return options.only_layers.empty() ||
         std::find(options.only_layers.begin(), options.only_layers.end(), name) != options.only_layers.end();
}

// Where the analytic model and the RTL disagree, on cycles or any exact counter; "" if nowhere.
std::string analytic_difference(const AnalyticResult& model, const CosimResult& rtl) {
  std::string differences;
  auto compare = [&](const std::string& name, std::uint64_t analytic, std::uint64_t measured) {
    if (analytic != measured) {
      differences += (differences.empty() ? "" : ", ") + name + " " + std::to_string(analytic) +
                     " (analytic) vs " + std::to_string(measured) + " (RTL)";
    }
  };
  compare("cycles", model.cycles, rtl.cycles);
  for (const auto& [name, value] : rtl.counters) {
    if (model.estimated.count(name) == 0) compare(name, model.counters.count(name) ? model.counters.at(name) : 0, value);
  }
  return differences;
}

// Energy from the layer's counters.
void price_layer(LayerMetrics& metrics, const AcceleratorConfig& config, const Technology& technology) {
  const EnergyBreakdown energy = estimate_energy(config, metrics.counters, technology);
  metrics.energy_pj = energy.components();
  metrics.energy_pj["total"] = energy.total();
}

LayerMetrics evaluate_layer(const Layer& layer, const std::vector<const Tensor8*>& inputs,
                            const Tensor8& expected, const AcceleratorConfig& config,
                            const SimulationOptions& options, const Technology& technology,
                            std::optional<Tensor8>& evaluated) {
  LayerMetrics metrics;
  metrics.name = layer.name;
  metrics.kind = layer_kind_name(layer.kind);
  metrics.evaluator = options.evaluator;
  metrics.macs = macs(layer);
  const auto start = std::chrono::steady_clock::now();
  try {
    const MeshProgram program = compile_layer_on_mesh(layer, inputs, config);
    std::optional<AnalyticResult> model;
    bool measured = false;  // the RTL ran to completion: its counters price the layer even when
                            // the model disagrees (the error says so)
    if (options.evaluator != "rtl") model = evaluate_analytic(program);
    if (options.evaluator == "analytic") {
      metrics.cycles = model->cycles;
      metrics.counters = model->counters;
      metrics.estimated.assign(model->estimated.begin(), model->estimated.end());
    } else {
      if (model) metrics.analytic_cycles = model->cycles;
      std::optional<MeshProgram> perturbed;
      if (options.test_perturb_rtl_program) {
        perturbed = program;
        options.test_perturb_rtl_program(perturbed->cores.front());
      }
      const CosimResult rtl = run_rtl_cosim(perturbed ? *perturbed : program, options.cosim);
      metrics.cycles = rtl.cycles;  // measured, also when the model ran beside
      metrics.counters = rtl.counters;
      if (!rtl.ok) {
        metrics.error = "simulation " + rtl.status + ": " + rtl.diagnosis;
      } else {
        measured = true;
        evaluated = decode_mesh_output(layer, program, rtl.outputs);
        metrics.bit_exact = evaluated->data == expected.data;
        const std::string differences = model ? analytic_difference(*model, rtl) : std::string();
        if (!differences.empty()) metrics.error = "analytic model differs from the RTL: " + differences;
      }
    }
    if (metrics.ok() || measured) {
      price_layer(metrics, config, technology);
      if (model && options.evaluator == "both") {
        metrics.analytic_energy_pj = estimate_energy(config, model->counters, technology).total();
      }
    }
  } catch (const MappingError& e) {
    metrics.error = std::string("cannot be mapped: ") + e.what();
  }
  metrics.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return metrics;
}

}  // namespace

NetworkMetrics simulate_network(Network network, const AcceleratorConfig& config,
                                const SimulationOptions& options) {
  const auto& evaluators = simulation_evaluators();
  if (std::find(evaluators.begin(), evaluators.end(), options.evaluator) == evaluators.end()) {
    throw std::invalid_argument("unknown evaluator '" + options.evaluator + "'");
  }
  for (const auto& name : options.only_layers) {
    if (std::none_of(network.layers.begin(), network.layers.end(),
                     [&](const Layer& layer) { return layer.name == name; })) {
      throw std::invalid_argument("network '" + network.name + "' has no layer '" + name + "'");
    }
  }
  if (options.synthetic_operands && (options.evaluator != "analytic" || options.on_output || options.input)) {
    throw std::invalid_argument("synthetic operands are for the analytic evaluator alone: no outputs, no given input");
  }
  const bool quantized = std::all_of(network.layers.begin(), network.layers.end(),
                                     [](const Layer& layer) { return layer.quant.has_value(); });
  if (!quantized && !options.synthetic_operands) quantize_randomly(network, options.seed);
  // The analytic model reads no outputs: a single layer (a SCALE-Sim row) needs no golden run,
  // which for the largest rows costs minutes, and synthetic operands need none at all.
  const bool golden_needed = !options.synthetic_operands &&
                             (options.evaluator != "analytic" || options.on_output || network.layers.size() > 1);
  const Tensor8 input = options.synthetic_operands ? Tensor8()
                        : options.input            ? *options.input
                                                   : random_input(network, options.seed + 1);
  const std::vector<Tensor8> golden = golden_needed ? golden_network(network, input) : std::vector<Tensor8>();
  const Tensor8 no_output;
  const Technology& technology = options.technology ? *options.technology : default_technology();

  NetworkMetrics metrics;
  metrics.network = network.name;
  metrics.accelerator_hash = config_hash(config);
  metrics.clock_mhz = config.clock_mhz;
  const AreaBreakdown area = estimate_area(config, technology);
  metrics.area_mm2 = area.components();
  metrics.area_mm2["total"] = area.total();
  std::size_t count = 0;
  for (const Layer& layer : network.layers) count += selected(options, layer.name) ? 1 : 0;
  for (std::size_t l = 0; l < network.layers.size(); ++l) {
    const Layer& layer = network.layers[l];
    if (!selected(options, layer.name)) continue;
    std::optional<Tensor8> evaluated;
    const Tensor8& expected = golden_needed ? golden[l] : no_output;
    if (options.synthetic_operands) {
      LayerMetrics priced = evaluate_synthetic_layer(
          layer, metrics.accelerator_hash, options.seed, [&](const Layer& alone, const std::vector<const Tensor8*>& inputs) {
            return evaluate_layer(alone, inputs, no_output, config, options, technology, evaluated);
          });
      if (priced.ok()) price_layer(priced, config, technology);  // the memo may hold another technology's
      metrics.layers.push_back(std::move(priced));
    } else {
      metrics.layers.push_back(evaluate_layer(layer, layer_inputs(layer, input, golden), expected, config,
                                              options, technology, evaluated));
    }
    if (options.on_output) options.on_output(l, expected, evaluated ? &*evaluated : nullptr);
    if (options.on_layer) options.on_layer(metrics.layers.size(), count, metrics.layers.back());
  }
  return metrics;
}

NetworkMetrics simulate_workload(const Workload& workload, const AcceleratorConfig& config,
                                 const SimulationOptions& options) {
  if (workload.networks.size() == 1) {
    NetworkMetrics metrics = simulate_network(workload.networks.front(), config, options);
    metrics.network = workload.name;  // a one-row topology is named after its file, as any other
    return metrics;
  }
  auto has_layer = [](const Network& network, const std::string& name) {
    return std::any_of(network.layers.begin(), network.layers.end(),
                       [&](const Layer& layer) { return layer.name == name; });
  };
  for (const auto& name : options.only_layers) {
    if (std::none_of(workload.networks.begin(), workload.networks.end(),
                     [&](const Network& network) { return has_layer(network, name); })) {
      throw std::invalid_argument("workload '" + workload.name + "' has no layer '" + name + "'");
    }
  }
  std::size_t count = 0;
  for (const Network& network : workload.networks) {
    for (const Layer& layer : network.layers) count += selected(options, layer.name) ? 1 : 0;
  }
  NetworkMetrics total;
  for (std::size_t k = 0; k < workload.networks.size(); ++k) {
    const Network& network = workload.networks[k];
    SimulationOptions part = options;
    part.seed = options.seed + 2 * k;
    part.only_layers.clear();
    for (const auto& name : options.only_layers) {
      if (has_layer(network, name)) part.only_layers.push_back(name);
    }
    if (!options.only_layers.empty() && part.only_layers.empty()) continue;
    const std::size_t done = total.layers.size();
    if (options.on_layer) {
      part.on_layer = [&, done](std::size_t index, std::size_t, const LayerMetrics& layer) {
        options.on_layer(done + index, count, layer);
      };
    }
    NetworkMetrics metrics = simulate_network(network, config, part);
    if (total.layers.empty()) total = metrics;
    else total.layers.insert(total.layers.end(), metrics.layers.begin(), metrics.layers.end());
  }
  total.network = workload.name;
  return total;
}

}  // namespace tandem
