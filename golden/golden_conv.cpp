// Weighted layers: conv2d (any kernel, pointwise included), fully connected and depthwise.
// acc = bias[c] + sum over valid taps of (x - zp_in) * w, requantized per output channel.
#include "golden/golden.h"
#include "core/quant_math.h"

namespace tandem::golden_detail {

namespace {

// Sums tap_sum(h, w, i, j, c) over the valid taps of each window and output channel c, then
// requantizes with channel c's bias, multiplier and shift.
template <typename TapSum>
Tensor8 accumulate_and_requantize(const Layer& layer, const WindowGeometry& geometry,
                                  TapSum tap_sum) {
  const LayerQuant& quant = *layer.quant;
  return map_windows(geometry, [&](const WindowTaps& taps, int c) {
    std::int64_t acc = 0;
    for_each_tap(taps, [&](int h, int w, int i, int j) { acc += tap_sum(h, w, i, j, c); });
    const auto channel = static_cast<std::size_t>(c);
    return requantize(wrap_to_int32(acc), quant.bias[channel], quant.output_multipliers[channel],
                      quant.output_shifts[channel], quant.output_zero_point,
                      quant.activation_min, quant.activation_max);
  });
}

}  // namespace

Tensor8 convolution(const Layer& layer, const Tensor8& input) {
  const WindowGeometry geometry = window_geometry(layer);
  const std::int64_t zp_in = layer.quant->input_zero_points.front();
  const auto in_channels = static_cast<std::size_t>(geometry.input.channels);
  const auto kernel_h = static_cast<std::size_t>(geometry.kernel_h);
  const auto kernel_w = static_cast<std::size_t>(geometry.kernel_w);
  const std::int8_t* weights = layer.quant->weights.data();
  return accumulate_and_requantize(layer, geometry, [&](int h, int w, int i, int j, int oc) {
    // OHWI weights: [oc][i][j][ci].
    const std::int8_t* filter =
        weights + ((static_cast<std::size_t>(oc) * kernel_h + static_cast<std::size_t>(i)) *
                       kernel_w + static_cast<std::size_t>(j)) * in_channels;
    const std::int8_t* pixel = &input.data[input.index(h, w, 0)];
    std::int64_t sum = 0;
    for (std::size_t ci = 0; ci < in_channels; ++ci) sum += (pixel[ci] - zp_in) * filter[ci];
    return sum;
  });
}

Tensor8 depthwise_conv2d(const Layer& layer, const Tensor8& input) {
  const WindowGeometry geometry = window_geometry(layer);
  const std::int64_t zp_in = layer.quant->input_zero_points.front();
  const std::int8_t* weights = layer.quant->weights.data();
  return accumulate_and_requantize(layer, geometry, [&](int h, int w, int i, int j, int c) {
    // HWC weights: [i][j][c].
    const int tap = i * geometry.kernel_w + j;
    return (input.at(h, w, c) - zp_in) *
           weights[static_cast<std::size_t>(tap * geometry.input.channels + c)];
  });
}

}  // namespace tandem::golden_detail
