// MACs, parameters and activation sizes of layers and networks (see network.h for what counts).
#include "models/network.h"

#include <algorithm>

namespace tandem {

int layer_out_channels(const Layer& layer) { return layer.output.channels; }

std::int64_t weight_count(const Layer& layer) {
  if (layer.input_shapes.empty()) return 0;
  const TensorShape& in = layer.input_shapes.front();
  const std::int64_t window = static_cast<std::int64_t>(layer.kernel_h) * layer.kernel_w;
  switch (layer.kind) {
    case LayerKind::conv2d: return window * in.channels * layer.out_channels;
    case LayerKind::depthwise_conv2d: return window * in.channels;
    case LayerKind::fully_connected: return in.elements() * layer.out_channels;
    default: return 0;
  }
}

std::int64_t macs(const Layer& layer) {
  if (!has_weights(layer)) return 0;
  // Every weight is used once per output position (FC: one position).
  const std::int64_t positions =
      layer.kind == LayerKind::fully_connected
          ? 1
          : static_cast<std::int64_t>(layer.output.height) * layer.output.width;
  return positions * weight_count(layer);
}

std::int64_t params(const Layer& layer) {
  if (!has_weights(layer)) return 0;
  return weight_count(layer) + layer_out_channels(layer);
}

std::int64_t output_bytes(const Layer& layer) { return layer.output.elements(); }

namespace {
template <typename PerLayer>
std::int64_t sum_over(const Network& network, PerLayer per_layer) {
  std::int64_t total = 0;
  for (const auto& layer : network.layers) total += per_layer(layer);
  return total;
}
}  // namespace

std::int64_t total_macs(const Network& network) { return sum_over(network, macs); }
std::int64_t total_params(const Network& network) { return sum_over(network, params); }
std::int64_t total_activation_bytes(const Network& network) {
  return sum_over(network, output_bytes);
}

std::int64_t peak_activation_bytes(const Network& network) {
  std::int64_t peak = 0;
  for (const auto& layer : network.layers) peak = std::max(peak, output_bytes(layer));
  return peak;
}

}  // namespace tandem
