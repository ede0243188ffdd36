// Weighted layers: conv2d (any kernel, pointwise included), fully connected and depthwise.
// acc = bias[c] + sum over valid taps of (x - zp_in) * w, requantized per output channel.
#include "sim/golden.h"
#include "sim/quant_math.h"

namespace tandem::golden_detail {

namespace {

std::int8_t requantize_channel(const LayerQuant& quant, int c, std::int32_t acc) {
  const auto channel = static_cast<std::size_t>(c);
  return requantize(acc, quant.bias[channel], quant.output_multipliers[channel],
                    quant.output_shifts[channel], quant.output_zero_point, quant.activation_min,
                    quant.activation_max);
}

}  // namespace

Tensor8 convolution(const Layer& layer, const Tensor8& input) {
  const LayerQuant& quant = *layer.quant;
  const WindowGeometry geometry = window_geometry(layer);
  const std::int64_t zp_in = quant.input_zero_points.front();
  const int in_channels = geometry.input.channels;
  return map_windows(geometry, [&](const WindowTaps& taps, int oc) {
    std::int64_t acc = 0;
    for_each_tap(taps, [&](int h, int w, int i, int j) {
      // OHWI weights: [oc][i][j][ci].
      const std::int8_t* weights =
          &quant.weights[((static_cast<std::size_t>(oc) * static_cast<std::size_t>(geometry.kernel_h) +
                           static_cast<std::size_t>(i)) * static_cast<std::size_t>(geometry.kernel_w) +
                          static_cast<std::size_t>(j)) * static_cast<std::size_t>(in_channels)];
      const std::int8_t* pixel = &input.data[input.index(h, w, 0)];
      for (int ci = 0; ci < in_channels; ++ci) acc += (pixel[ci] - zp_in) * weights[ci];
    });
    return requantize_channel(quant, oc, wrap_to_int32(acc));
  });
}

Tensor8 depthwise_conv2d(const Layer& layer, const Tensor8& input) {
  const LayerQuant& quant = *layer.quant;
  const WindowGeometry geometry = window_geometry(layer);
  const std::int64_t zp_in = quant.input_zero_points.front();
  const int channels = geometry.input.channels;
  return map_windows(geometry, [&](const WindowTaps& taps, int c) {
    std::int64_t acc = 0;
    for_each_tap(taps, [&](int h, int w, int i, int j) {
      // HWC weights: [i][j][c].
      const std::size_t tap = static_cast<std::size_t>(i * geometry.kernel_w + j);
      acc += (input.at(h, w, c) - zp_in) *
             quant.weights[tap * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)];
    });
    return requantize_channel(quant, c, wrap_to_int32(acc));
  });
}

}  // namespace tandem::golden_detail
