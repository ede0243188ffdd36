// Post-training quantization of imported float networks (onnx_internal.h).
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/number_format.h"
#include "models/onnx_internal.h"

namespace tandem::onnx_detail {

namespace {

struct Range {
  float lo = 0.0f;  // always includes 0
  float hi = 0.0f;
  void cover(const std::vector<float>& values) {
    for (float value : values) {
      lo = std::min(lo, value);
      hi = std::max(hi, value);
    }
  }
};

// Asymmetric int8 over the range (which includes 0, so that 0 is exact).
void activation_quant(const Range& range, float* scale, std::int32_t* zero_point) {
  const ActivationQuant q = activation_quant_from_range(range.lo, range.hi);
  *scale = q.scale;
  *zero_point = q.zero_point;
}

std::int32_t to_int32(double value) {
  const double limit = 2147483647.0;
  return static_cast<std::int32_t>(std::max(-limit - 1.0, std::min(limit, std::round(value))));
}

}  // namespace

void quantize_with_calibration(Network& network, const std::vector<FloatWeights>& weights,
                               const std::vector<FloatTensor>& samples) {
  Range input_range;
  std::vector<Range> ranges(network.layers.size());
  for (const FloatTensor& sample : samples) {
    input_range.cover(sample.data);
    const std::vector<FloatTensor> outputs = float_forward(network, weights, sample);
    for (std::size_t i = 0; i < outputs.size(); ++i) ranges[i].cover(outputs[i].data);
  }
  // Ranges beyond float32 (weights that overflow on these inputs) have no int8 quantization.
  auto check = [](const Range& range, const std::string& what) {
    if (!std::isfinite(range.lo) || !std::isfinite(range.hi) || !std::isfinite(static_cast<float>(range.hi - range.lo))) {
      throw std::domain_error(what + " reaches beyond float32 on the calibration inputs (range " + exact_number(range.lo) +
                              " .. " + exact_number(range.hi) + "): no int8 quantization covers it");
    }
  };
  check(input_range, "the network input");
  for (std::size_t i = 0; i < ranges.size(); ++i) check(ranges[i], "the output of layer '" + network.layers[i].name + "'");
  float input_scale = 1.0f;
  std::int32_t input_zero_point = 0;
  activation_quant(input_range, &input_scale, &input_zero_point);

  for (std::size_t i = 0; i < network.layers.size(); ++i) {
    Layer& layer = network.layers[i];
    LayerQuant quant;
    for (int producer : layer.inputs) {
      if (producer < 0) {
        quant.input_scales.push_back(input_scale);
        quant.input_zero_points.push_back(input_zero_point);
      } else {
        const LayerQuant& from = *network.layers[static_cast<std::size_t>(producer)].quant;
        quant.input_scales.push_back(from.output_scale);
        quant.input_zero_points.push_back(from.output_zero_point);
      }
    }
    if (layer.kind == LayerKind::max_pool || layer.kind == LayerKind::activation) {
      quant.output_scale = quant.input_scales.front();
      quant.output_zero_point = quant.input_zero_points.front();
    } else {
      activation_quant(ranges[i], &quant.output_scale, &quant.output_zero_point);
    }
    if (has_weights(layer)) {
      const auto channels = static_cast<std::size_t>(layer_out_channels(layer));
      const std::vector<float>& w = weights[i].weights;
      const std::size_t per_channel = w.size() / channels;
      // Element e of the weights belongs to output channel channel_of(e): OHWI and [out][in]
      // put the channel first, depthwise HWC last.
      auto channel_of = [&](std::size_t e) {
        return layer.kind == LayerKind::depthwise_conv2d ? e % channels : e / per_channel;
      };
      std::vector<float> max_abs(channels, 0.0f);
      for (std::size_t e = 0; e < w.size(); ++e) max_abs[channel_of(e)] = std::max(max_abs[channel_of(e)], std::fabs(w[e]));
      for (float m : max_abs) quant.weight_scales.push_back(m > 0.0f ? m / 127.0f : 1.0f);
      quant.weights.resize(w.size());
      for (std::size_t e = 0; e < w.size(); ++e) {
        const double q = std::round(static_cast<double>(w[e]) / quant.weight_scales[channel_of(e)]);
        quant.weights[e] = static_cast<std::int8_t>(std::max(-127.0, std::min(127.0, q)));
      }
      for (std::size_t c = 0; c < channels; ++c) {
        quant.bias.push_back(to_int32(static_cast<double>(weights[i].bias[c]) /
                                      (static_cast<double>(quant.input_scales.front()) * quant.weight_scales[c])));
      }
      derive_requantization(quant);
    }
    activation_range(layer.activation, quant.output_scale, quant.output_zero_point, &quant.activation_min,
                     &quant.activation_max);
    layer.quant = std::move(quant);
  }
}

}  // namespace tandem::onnx_detail
