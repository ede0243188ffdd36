// Elementwise layers: tandem's integer residual add (docs/isa.md VECTOR ADD) and the
// standalone activation (a clamp; its output quantization equals its input's).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "golden/golden.h"
#include "core/quant_math.h"

namespace tandem {

AddParams derive_add_params(double scale1, double scale2, double scale_out) {
  if (!(scale1 > 0.0) || !(scale2 > 0.0) || !(scale_out > 0.0)) {
    throw std::invalid_argument("add scales must be positive");
  }
  // The larger input scale becomes exactly 2^14, the smaller its rounded ratio: both fit int16
  // with headroom, and (x - zp) * m stays far from int32 overflow.
  const double larger = std::max(scale1, scale2);
  const double unit = static_cast<double>(1 << kAddOperandBits);
  AddParams params;
  params.m_a = static_cast<std::int16_t>(std::lround(scale1 / larger * unit));
  params.m_b = static_cast<std::int16_t>(std::lround(scale2 / larger * unit));
  quantize_multiplier(larger / unit / scale_out, &params.multiplier, &params.shift);
  return params;
}

namespace golden_detail {

Tensor8 residual_add(const Layer& layer, const Tensor8& a, const Tensor8& b) {
  const LayerQuant& quant = *layer.quant;
  const AddParams params = derive_add_params(quant.input_scales[0], quant.input_scales[1],
                                             quant.output_scale);
  const std::int32_t zp_a = quant.input_zero_points[0];
  const std::int32_t zp_b = quant.input_zero_points[1];
  Tensor8 out = Tensor8::zeros(layer.output);
  for (std::size_t n = 0; n < out.data.size(); ++n) {
    const std::int32_t acc = (a.data[n] - zp_a) * params.m_a + (b.data[n] - zp_b) * params.m_b;
    out.data[n] = requantize(acc, 0, params.multiplier, params.shift, quant.output_zero_point,
                             quant.activation_min, quant.activation_max);
  }
  return out;
}

Tensor8 activation(const Layer& layer, const Tensor8& input) {
  const LayerQuant& quant = *layer.quant;
  Tensor8 out = input;
  for (std::int8_t& value : out.data) value = clamp_to_activation(value, quant);
  return out;
}

}  // namespace golden_detail
}  // namespace tandem
