// Helpers of the t_golden suite: one layer with hand-set quantization, tensors from literals.
#pragma once

#include <initializer_list>
#include <stdexcept>

#include "models/network.h"
#include "golden/golden.h"

namespace tandem::test {

struct LayerSpec {
  LayerKind kind = LayerKind::conv2d;
  TensorShape input;
  int kernel = 1;
  int stride = 1;
  Padding padding = Padding::same;
  int out_channels = 0;  // conv2d, fully_connected
  Activation activation = Activation::none;
};

// A layer reading the network input (both inputs for add), shapes inferred, no quantization.
inline Layer make_layer(const LayerSpec& spec) {
  Layer layer;
  layer.name = "hand";
  layer.kind = spec.kind;
  layer.inputs = spec.kind == LayerKind::add ? std::vector<int>{-1, -1} : std::vector<int>{-1};
  layer.input_shapes.assign(layer.inputs.size(), spec.input);
  layer.kernel_h = layer.kernel_w = spec.kernel;
  layer.stride_h = layer.stride_w = spec.stride;
  layer.padding = spec.padding;
  layer.out_channels = spec.out_channels;
  layer.activation = spec.activation;
  const ShapeResult shape = infer_output_shape(layer, layer.input_shapes);
  if (!shape.shape) throw std::logic_error(shape.error);
  layer.output = *shape.shape;
  return layer;
}

// Quantization with one input (or two for add) of the given scale and zero point; weighted
// layers get the weights, biases and one weight scale for every channel, and the derived
// requantization and activation clamp.
inline LayerQuant make_quant(const Layer& layer, float input_scale, std::int32_t input_zp,
                             float output_scale, std::int32_t output_zp,
                             std::vector<std::int8_t> weights = {},
                             std::vector<std::int32_t> bias = {}, float weight_scale = 1.0f) {
  LayerQuant quant;
  quant.input_scales.assign(layer.inputs.size(), input_scale);
  quant.input_zero_points.assign(layer.inputs.size(), input_zp);
  quant.output_scale = output_scale;
  quant.output_zero_point = output_zp;
  quant.weights = std::move(weights);
  quant.bias = std::move(bias);
  if (has_weights(layer)) {
    quant.weight_scales.assign(static_cast<std::size_t>(layer_out_channels(layer)), weight_scale);
  }
  derive_requantization(quant);
  activation_range(layer.activation, output_scale, output_zp, &quant.activation_min,
                   &quant.activation_max);
  return quant;
}

inline Tensor8 tensor(const TensorShape& shape, std::initializer_list<int> values) {
  Tensor8 t{shape, {}};
  for (int v : values) t.data.push_back(static_cast<std::int8_t>(v));
  if (static_cast<std::int64_t>(t.data.size()) != shape.elements()) {
    throw std::logic_error("tensor literal has the wrong size");
  }
  return t;
}

inline std::vector<int> values(const Tensor8& t) { return {t.data.begin(), t.data.end()}; }

inline Tensor8 run(const Layer& layer, const Tensor8& input) {
  return golden_layer(layer, {&input});
}

}  // namespace tandem::test
