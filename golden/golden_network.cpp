// golden_layer: checks a layer's inputs and quantization, then runs its kernel;
// golden_network: every layer in order.
#include <cmath>
#include <stdexcept>
#include <string>

#include "golden/golden.h"

namespace tandem {

namespace {

[[noreturn]] void reject(const Layer& layer, const std::string& why) {
  throw std::invalid_argument("golden: layer '" + layer.name + "' (" +
                              layer_kind_name(layer.kind) + "): " + why);
}

void check_inputs(const Layer& layer, const std::vector<const Tensor8*>& inputs) {
  if (inputs.size() != layer.inputs.size() || inputs.size() != layer.input_shapes.size()) {
    reject(layer, "takes " + std::to_string(layer.inputs.size()) + " input(s), got " +
                      std::to_string(inputs.size()));
  }
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    if (inputs[k] == nullptr) reject(layer, "input " + std::to_string(k) + " is null");
    const Tensor8& input = *inputs[k];
    if (input.shape != layer.input_shapes[k] ||
        static_cast<std::int64_t>(input.data.size()) != input.shape.elements()) {
      reject(layer, "input " + std::to_string(k) + " is " + input.shape.to_string() + " with " +
                        std::to_string(input.data.size()) + " values, the layer takes " +
                        layer.input_shapes[k].to_string());
    }
  }
  // The kernels size their loops by the recorded output: it must follow from the parameters.
  const ShapeResult expected = infer_output_shape(layer, layer.input_shapes);
  if (!expected.shape || *expected.shape != layer.output) {
    reject(layer, "output " + layer.output.to_string() + " does not follow from its inputs and "
                  "parameters" + (expected.shape ? " (" + expected.shape->to_string() + ")"
                                                 : ": " + expected.error));
  }
}

void check_quant(const Layer& layer) {
  if (!layer.quant) reject(layer, "has no quantization parameters");
  const LayerQuant& quant = *layer.quant;
  if (quant.input_zero_points.size() != layer.inputs.size() ||
      quant.input_scales.size() != layer.inputs.size()) {
    reject(layer, "needs one input zero point and scale per input");
  }
  if (has_weights(layer)) {
    const auto channels = static_cast<std::size_t>(layer_out_channels(layer));
    if (static_cast<std::int64_t>(quant.weights.size()) != weight_count(layer)) {
      reject(layer, "has " + std::to_string(quant.weights.size()) + " weights, needs " +
                        std::to_string(weight_count(layer)));
    }
    if (quant.bias.size() != channels || quant.output_multipliers.size() != channels ||
        quant.output_shifts.size() != channels) {
      reject(layer, "needs one bias, output multiplier and shift per output channel (" +
                        std::to_string(channels) + "; derive_requantization fills the latter)");
    }
  }
  // Max pool and a standalone activation only clamp: their output must be quantized as the
  // input is (TFLite requires the same).
  if (layer.kind == LayerKind::max_pool || layer.kind == LayerKind::activation) {
    const float in_scale = quant.input_scales.front();
    if (quant.output_zero_point != quant.input_zero_points.front() ||
        std::fabs(quant.output_scale - in_scale) > 1e-5f * in_scale) {
      reject(layer, "output quantization must equal the input's");
    }
  }
}

}  // namespace

Tensor8 golden_layer(const Layer& layer, const std::vector<const Tensor8*>& inputs) {
  check_inputs(layer, inputs);
  check_quant(layer);
  const Tensor8& first = *inputs.front();
  switch (layer.kind) {
    case LayerKind::conv2d:
    case LayerKind::fully_connected: return golden_detail::convolution(layer, first);
    case LayerKind::depthwise_conv2d: return golden_detail::depthwise_conv2d(layer, first);
    case LayerKind::max_pool: return golden_detail::max_pool(layer, first);
    case LayerKind::avg_pool:
    case LayerKind::global_avg_pool: return golden_detail::average_pool(layer, first);
    case LayerKind::add: return golden_detail::residual_add(layer, first, *inputs[1]);
    case LayerKind::activation: return golden_detail::activation(layer, first);
  }
  reject(layer, "unknown layer kind");
}

std::vector<Tensor8> golden_network(const Network& net, const Tensor8& input) {
  if (input.shape != net.input) {
    throw std::invalid_argument("golden: network '" + net.name + "' takes " +
                                net.input.to_string() + ", got " + input.shape.to_string());
  }
  std::vector<Tensor8> outputs;
  outputs.reserve(net.layers.size());
  for (const Layer& layer : net.layers) outputs.push_back(golden_layer(layer, layer_inputs(layer, input, outputs)));
  return outputs;
}

std::vector<const Tensor8*> layer_inputs(const Layer& layer, const Tensor8& network_input,
                                         const std::vector<Tensor8>& outputs) {
  std::vector<const Tensor8*> inputs;
  for (int producer : layer.inputs) {
    if (producer >= static_cast<int>(outputs.size())) reject(layer, "reads a later layer");
    inputs.push_back(producer < 0 ? &network_input : &outputs[static_cast<std::size_t>(producer)]);
  }
  return inputs;
}

}  // namespace tandem
