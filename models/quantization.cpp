// TFLite's fixed-point requantization parameters, so that the compiler, the golden reference
// and the RTL all requantize exactly as TFLite does.
#include <algorithm>
#include <cmath>
#include <limits>

#include "models/network.h"

namespace tandem {

void quantize_multiplier(double real_multiplier, std::int32_t* quantized_multiplier, int* shift) {
  // tensorflow/lite/kernels/internal/quantization_util.cc, QuantizeMultiplier.
  if (real_multiplier == 0.0) {
    *quantized_multiplier = 0;
    *shift = 0;
    return;
  }
  const double q = std::frexp(real_multiplier, shift);  // real = q * 2^shift, q in [0.5, 1)
  auto q_fixed = static_cast<std::int64_t>(std::round(q * (1LL << 31)));
  if (q_fixed == (1LL << 31)) {
    q_fixed /= 2;
    ++*shift;
  }
  if (*shift < -31) {  // too small to represent: flush to zero as TFLite does
    *shift = 0;
    q_fixed = 0;
  }
  if (*shift > 30) {  // TFLite caps the left shift; saturate the multiplier
    *shift = 30;
    q_fixed = std::numeric_limits<std::int32_t>::max();
  }
  *quantized_multiplier = static_cast<std::int32_t>(q_fixed);
}

ActivationQuant activation_quant_from_range(double lo, double hi) {
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  if (hi - lo < 1e-6) hi = lo + 1e-6;
  ActivationQuant q;
  q.scale = static_cast<float>((hi - lo) / 255.0);
  const double zero_point = std::round(-128.0 - lo / q.scale);
  q.zero_point = static_cast<std::int32_t>(std::min(127.0, std::max(-128.0, zero_point)));
  return q;
}

void derive_requantization(LayerQuant& quant) {
  quant.output_multipliers.clear();
  quant.output_shifts.clear();
  const double input_scale = quant.input_scales.empty() ? 1.0 : quant.input_scales.front();
  for (float weight_scale : quant.weight_scales) {
    std::int32_t multiplier = 0;
    int shift = 0;
    quantize_multiplier(input_scale * weight_scale / quant.output_scale, &multiplier, &shift);
    quant.output_multipliers.push_back(multiplier);
    quant.output_shifts.push_back(shift);
  }
}

void activation_range(Activation activation, float output_scale, std::int32_t output_zero_point,
                      std::int32_t* qmin, std::int32_t* qmax) {
  // TFLite CalculateActivationRangeQuantized for int8.
  auto quantize = [&](float value) {
    return output_zero_point + static_cast<std::int32_t>(std::round(value / output_scale));
  };
  *qmin = -128;
  *qmax = 127;
  if (activation == Activation::relu || activation == Activation::relu6) {
    *qmin = std::max<std::int32_t>(*qmin, quantize(0.0f));
  }
  if (activation == Activation::relu6) *qmax = std::min<std::int32_t>(*qmax, quantize(6.0f));
}

}  // namespace tandem
