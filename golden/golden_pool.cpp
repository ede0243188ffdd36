// Pooling: max pool (no requantization: output quantization equals input), average and global
// average pool (sum of (x - zp_in) over the valid inputs, divided by their count inside the
// requantization multiplier).
#include <algorithm>

#include "golden/golden.h"
#include "core/quant_math.h"

namespace tandem {

Requant derive_avg_pool_requant(double input_scale, double output_scale, int count) {
  Requant requant;
  quantize_multiplier(input_scale / (output_scale * count), &requant.multiplier, &requant.shift);
  return requant;
}

namespace golden_detail {

Tensor8 max_pool(const Layer& layer, const Tensor8& input) {
  const LayerQuant& quant = *layer.quant;
  return map_windows(window_geometry(layer), [&](const WindowTaps& taps, int c) {
    std::int32_t best = -128;  // every window holds at least one valid input
    for_each_tap(taps, [&](int h, int w, int, int) {
      best = std::max<std::int32_t>(best, input.at(h, w, c));
    });
    return clamp_to_activation(best, quant);
  });
}

Tensor8 average_pool(const Layer& layer, const Tensor8& input) {
  const LayerQuant& quant = *layer.quant;
  const std::int32_t zp_in = quant.input_zero_points.front();
  return map_windows(window_geometry(layer), [&](const WindowTaps& taps, int c) {
    std::int64_t sum = 0;
    for_each_tap(taps, [&](int h, int w, int, int) { sum += input.at(h, w, c) - zp_in; });
    // Border windows under `same` padding divide by their own count, as TFLite does.
    const Requant requant =
        derive_avg_pool_requant(quant.input_scales.front(), quant.output_scale, taps.count());
    return requantize(wrap_to_int32(sum), 0, requant.multiplier, requant.shift,
                      quant.output_zero_point, quant.activation_min, quant.activation_max);
  });
}

}  // namespace golden_detail
}  // namespace tandem
