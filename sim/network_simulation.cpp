#include "sim/network_simulation.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "models/random_quantization.h"
#include "sim/compiler.h"
#include "sim/golden.h"

namespace tandem {

const std::vector<std::string>& simulation_evaluators() {
  static const std::vector<std::string> evaluators = {"rtl"};
  return evaluators;
}

namespace {

bool selected(const SimulationOptions& options, const std::string& name) {
  return options.only_layers.empty() ||
         std::find(options.only_layers.begin(), options.only_layers.end(), name) != options.only_layers.end();
}

LayerMetrics evaluate_on_rtl(const Layer& layer, const std::vector<const Tensor8*>& inputs,
                             const Tensor8& expected, const AcceleratorConfig& config,
                             const SimulationOptions& options) {
  LayerMetrics metrics;
  metrics.name = layer.name;
  metrics.kind = layer_kind_name(layer.kind);
  metrics.evaluator = "rtl";
  metrics.macs = macs(layer);
  const auto start = std::chrono::steady_clock::now();
  try {
    const Program program = compile_layer(layer, inputs, config);
    const CosimResult rtl = run_rtl_cosim(program, options.cosim);
    metrics.cycles = rtl.cycles;
    metrics.counters = rtl.counters;
    if (!rtl.ok) {
      metrics.error = "simulation " + rtl.status + ": " + rtl.diagnosis;
    } else {
      metrics.bit_exact = decode_layer_output(layer, config, rtl.outputs.at(0)).data == expected.data;
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
  const bool quantized = std::all_of(network.layers.begin(), network.layers.end(),
                                     [](const Layer& layer) { return layer.quant.has_value(); });
  if (!quantized) quantize_randomly(network, options.seed);
  const Tensor8 input = random_input(network, options.seed + 1);
  const std::vector<Tensor8> golden = golden_network(network, input);

  NetworkMetrics metrics;
  metrics.network = network.name;
  metrics.accelerator_hash = config_hash(config);
  metrics.clock_mhz = config.clock_mhz;
  std::size_t count = 0;
  for (const Layer& layer : network.layers) count += selected(options, layer.name) ? 1 : 0;
  for (std::size_t l = 0; l < network.layers.size(); ++l) {
    const Layer& layer = network.layers[l];
    if (!selected(options, layer.name)) continue;
    std::vector<const Tensor8*> inputs;
    for (int source : layer.inputs) inputs.push_back(source < 0 ? &input : &golden[static_cast<std::size_t>(source)]);
    metrics.layers.push_back(evaluate_on_rtl(layer, inputs, golden[l], config, options));
    if (options.on_layer) options.on_layer(metrics.layers.size(), count, metrics.layers.back());
  }
  return metrics;
}

}  // namespace tandem
