// The float forward pass of the network IR (float_reference.h).
#include "models/float_reference.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace tandem {

namespace {

float activate(Activation activation, float value) {
  switch (activation) {
    case Activation::none: return value;
    case Activation::relu: return std::max(value, 0.0f);
    case Activation::relu6: return std::min(std::max(value, 0.0f), 6.0f);
  }
  return value;
}

std::size_t at(const TensorShape& shape, int h, int w, int c) {
  return (static_cast<std::size_t>(h) * static_cast<std::size_t>(shape.width) + static_cast<std::size_t>(w)) *
             static_cast<std::size_t>(shape.channels) + static_cast<std::size_t>(c);
}

// Calls value(h0, w0, c) -> float for each output element of a window layer; h0/w0 are the
// window's top-left input position (negative inside the padding).
template <typename Value>
FloatTensor map_windows(const Layer& layer, Value value) {
  const TensorShape& in = layer.input_shapes.front();
  const WindowPads pads = window_pads(layer, in);
  FloatTensor out{layer.output, std::vector<float>(static_cast<std::size_t>(layer.output.elements()))};
  for (int oh = 0; oh < layer.output.height; ++oh) {
    for (int ow = 0; ow < layer.output.width; ++ow) {
      for (int c = 0; c < layer.output.channels; ++c) {
        out.data[at(layer.output, oh, ow, c)] =
            activate(layer.activation, value(oh * layer.stride_h - pads.top, ow * layer.stride_w - pads.left, c));
      }
    }
  }
  return out;
}

// Calls visit(h, w, i, j) for the taps of a kernel_h x kernel_w window at (h0, w0) that lie
// inside the input.
template <typename Visit>
void for_each_tap(const Layer& layer, int h0, int w0, Visit visit) {
  const TensorShape& in = layer.input_shapes.front();
  for (int i = std::max(0, -h0); i < std::min(layer.kernel_h, in.height - h0); ++i) {
    for (int j = std::max(0, -w0); j < std::min(layer.kernel_w, in.width - w0); ++j) visit(h0 + i, w0 + j, i, j);
  }
}

FloatTensor run_layer(const Layer& layer, const FloatWeights& weights, const std::vector<const FloatTensor*>& inputs) {
  const FloatTensor& x = *inputs.front();
  const TensorShape& in = x.shape;
  const auto kh = static_cast<std::size_t>(layer.kernel_h);
  const auto kw = static_cast<std::size_t>(layer.kernel_w);
  const auto cin = static_cast<std::size_t>(in.channels);
  switch (layer.kind) {
    case LayerKind::conv2d:
      return map_windows(layer, [&](int h0, int w0, int oc) {
        float sum = weights.bias[static_cast<std::size_t>(oc)];
        for_each_tap(layer, h0, w0, [&](int h, int w, int i, int j) {
          const float* filter = &weights.weights[((static_cast<std::size_t>(oc) * kh + static_cast<std::size_t>(i)) * kw +
                                                  static_cast<std::size_t>(j)) * cin];
          const float* pixel = &x.data[at(in, h, w, 0)];
          for (std::size_t ci = 0; ci < cin; ++ci) sum += pixel[ci] * filter[ci];
        });
        return sum;
      });
    case LayerKind::depthwise_conv2d:
      return map_windows(layer, [&](int h0, int w0, int c) {
        float sum = weights.bias[static_cast<std::size_t>(c)];
        for_each_tap(layer, h0, w0, [&](int h, int w, int i, int j) {
          sum += x.data[at(in, h, w, c)] *
                 weights.weights[(static_cast<std::size_t>(i) * kw + static_cast<std::size_t>(j)) * cin + static_cast<std::size_t>(c)];
        });
        return sum;
      });
    case LayerKind::max_pool:
      return map_windows(layer, [&](int h0, int w0, int c) {
        float best = -std::numeric_limits<float>::infinity();
        for_each_tap(layer, h0, w0, [&](int h, int w, int, int) { best = std::max(best, x.data[at(in, h, w, c)]); });
        return best;
      });
    case LayerKind::avg_pool:
      return map_windows(layer, [&](int h0, int w0, int c) {
        float sum = 0;
        int count = 0;
        for_each_tap(layer, h0, w0, [&](int h, int w, int, int) {
          sum += x.data[at(in, h, w, c)];
          ++count;
        });
        return sum / static_cast<float>(count);
      });
    case LayerKind::global_avg_pool: {
      FloatTensor out{layer.output, std::vector<float>(static_cast<std::size_t>(in.channels), 0.0f)};
      for (std::size_t p = 0; p < static_cast<std::size_t>(in.height * in.width); ++p) {
        for (std::size_t c = 0; c < cin; ++c) out.data[c] += x.data[p * cin + c];
      }
      for (float& value : out.data) value = activate(layer.activation, value / static_cast<float>(in.height * in.width));
      return out;
    }
    case LayerKind::fully_connected: {
      const std::size_t features = x.data.size();
      FloatTensor out{layer.output, std::vector<float>(static_cast<std::size_t>(layer.out_channels))};
      for (std::size_t o = 0; o < out.data.size(); ++o) {
        float sum = weights.bias[o];
        for (std::size_t f = 0; f < features; ++f) sum += x.data[f] * weights.weights[o * features + f];
        out.data[o] = activate(layer.activation, sum);
      }
      return out;
    }
    case LayerKind::add: {
      FloatTensor out = x;
      for (std::size_t i = 0; i < out.data.size(); ++i) {
        out.data[i] = activate(layer.activation, out.data[i] + inputs[1]->data[i]);
      }
      return out;
    }
    case LayerKind::activation: {
      FloatTensor out = x;
      for (float& value : out.data) value = activate(layer.activation, value);
      return out;
    }
  }
  throw std::invalid_argument("layer '" + layer.name + "': unknown kind");
}

}  // namespace

std::vector<FloatTensor> float_forward(const Network& network, const std::vector<FloatWeights>& weights,
                                       const FloatTensor& input) {
  if (weights.size() != network.layers.size()) {
    throw std::invalid_argument("float_forward: " + std::to_string(weights.size()) + " weight sets for " +
                                std::to_string(network.layers.size()) + " layers");
  }
  if (input.shape != network.input || input.data.size() != static_cast<std::size_t>(input.shape.elements())) {
    throw std::invalid_argument("float_forward: the input is " + input.shape.to_string() + ", the network takes " +
                                network.input.to_string());
  }
  std::vector<FloatTensor> outputs;
  outputs.reserve(network.layers.size());
  for (std::size_t i = 0; i < network.layers.size(); ++i) {
    const Layer& layer = network.layers[i];
    if (has_weights(layer)) {
      const auto channels = static_cast<std::size_t>(layer_out_channels(layer));
      if (weights[i].weights.size() != static_cast<std::size_t>(weight_count(layer)) ||
          weights[i].bias.size() != channels) {
        throw std::invalid_argument("float_forward: layer '" + layer.name + "' needs " +
                                    std::to_string(weight_count(layer)) + " weights and " +
                                    std::to_string(channels) + " biases");
      }
    }
    std::vector<const FloatTensor*> inputs;
    for (int producer : layer.inputs) {
      inputs.push_back(producer < 0 ? &input : &outputs[static_cast<std::size_t>(producer)]);
    }
    outputs.push_back(run_layer(layer, weights[i], inputs));
  }
  return outputs;
}

}  // namespace tandem
