#include "handoff/layer_vectors.h"

#include <algorithm>
#include <stdexcept>

#include "models/random_quantization.h"
#include "compiler/compiler.h"
#include "golden/golden.h"

namespace tandem {

namespace {

// The region bytes the hardware must produce. The compiler decides the layout of the output
// region (padding, narrow stores), so the functional executor produces the bytes and the golden
// tensor vouches for them: a compiler bug fails here, not later in someone's simulator.
std::vector<std::uint8_t> expected_region(const Layer& layer, const Program& program,
                                          const AcceleratorConfig& config, const Tensor8& golden) {
  std::vector<std::uint8_t> region = execute_program(program).outputs.at(0);
  if (decode_layer_output(layer, config, region).data != golden.data) {
    throw std::logic_error("layer '" + layer.name +
                           "': the compiled program disagrees with the golden reference");
  }
  return region;
}

}  // namespace

LayerVectors make_layer_vectors(Network network, const AcceleratorConfig& config,
                                const std::string& layer_name, std::uint64_t seed) {
  const auto named = [&](const Layer& layer) { return layer.name == layer_name; };
  if (!layer_name.empty() && std::none_of(network.layers.begin(), network.layers.end(), named)) {
    throw std::invalid_argument("network '" + network.name + "' has no layer '" + layer_name + "'");
  }
  // Same seeds as simulate_network, so the README's numbers match `tandem simulate`.
  const bool quantized = std::all_of(network.layers.begin(), network.layers.end(),
                                     [](const Layer& layer) { return layer.quant.has_value(); });
  if (!quantized) quantize_randomly(network, seed);
  const Tensor8 input = random_input(network, seed + 1);
  const std::vector<Tensor8> golden = golden_network(network, input);

  std::string unmapped;
  for (std::size_t l = 0; l < network.layers.size(); ++l) {
    const Layer& layer = network.layers[l];
    if (layer_name.empty() ? layer.kind != LayerKind::conv2d : !named(layer)) continue;
    const std::vector<const Tensor8*> inputs = layer_inputs(layer, input, golden);
    try {
      LayerVectors vectors;
      vectors.network = network.name;
      vectors.layer = layer.name;
      vectors.layer_kind = layer_kind_name(layer.kind);
      vectors.program = compile_layer(layer, inputs, config);
      vectors.expected = expected_region(layer, vectors.program, config, golden[l]);
      return vectors;
    } catch (const MappingError& e) {
      if (!layer_name.empty()) throw;
      unmapped += "\n  " + layer.name + ": " + e.what();
    }
  }
  throw std::runtime_error("network '" + network.name + "' has no " +
                           (layer_name.empty() ? "conv2d layer" : "layer '" + layer_name + "'") +
                           " that this accelerator can map" + unmapped);
}

}  // namespace tandem
