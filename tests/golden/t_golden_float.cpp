// Float cross-check: for randomly quantized layers, the golden int8 output is within half an
// LSB (plus the fixed-point multiplier's own error) of the exact real computation on the same
// dequantized inputs, weights and biases. Each layer is checked on the golden inputs it got, so
// errors do not accumulate.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "models/network_builder.h"
#include "models/random_quantization.h"
#include "t_golden_support.h"

using namespace tandem;
using namespace tandem::test;

namespace {

// Half an LSB of rounding, plus what the fixed-point arithmetic adds (docs/golden.md):
// conv, depthwise, fc: large accumulators and right shifts, so the high multiply's own rounding
// is negligible; add: the 14-bit operand multipliers; average pools: small sums, so TFLite's
// double rounding (high multiply, then shift) can add up to half an LSB times 2^shift.
double tolerance(LayerKind kind) {
  switch (kind) {
    case LayerKind::max_pool: return 0.0;  // exact: the max of the inputs, same quantization
    case LayerKind::avg_pool:
    case LayerKind::global_avg_pool: return 1.0;
    default: return 0.51;
  }
}

double real(const Tensor8& t, std::size_t n, const LayerQuant& q, std::size_t input = 0) {
  return (t.data[n] - q.input_zero_points[input]) * static_cast<double>(q.input_scales[input]);
}

double real_weight(const LayerQuant& q, std::size_t k, int channel) {
  return q.weights[k] * static_cast<double>(q.weight_scales[static_cast<std::size_t>(channel)]);
}

double real_bias(const LayerQuant& q, int channel) {
  const auto c = static_cast<std::size_t>(channel);
  return q.bias[c] * static_cast<double>(q.input_scales[0]) * q.weight_scales[c];
}

// The real value of output (oh, ow, c) of a window layer, straight from the definitions.
double window_value(const Layer& layer, const Tensor8& x, int oh, int ow, int c) {
  const LayerQuant& q = *layer.quant;
  const TensorShape& in = x.shape;
  const int top = padding_before(in.height, layer.kernel_h, layer.stride_h, layer.padding);
  const int left = padding_before(in.width, layer.kernel_w, layer.stride_w, layer.padding);
  double sum = 0.0, best = -1e30;
  int count = 0;
  for (int i = 0; i < layer.kernel_h; ++i) {
    for (int j = 0; j < layer.kernel_w; ++j) {
      const int h = oh * layer.stride_h - top + i, w = ow * layer.stride_w - left + j;
      if (h < 0 || w < 0 || h >= in.height || w >= in.width) continue;  // padding adds nothing
      ++count;
      if (layer.kind == LayerKind::conv2d) {
        for (int ci = 0; ci < in.channels; ++ci) {
          const std::size_t k = ((static_cast<std::size_t>(c) * layer.kernel_h + i) * layer.kernel_w + j) *
                                    in.channels + ci;
          sum += real(x, x.index(h, w, ci), q) * real_weight(q, k, c);
        }
      } else if (layer.kind == LayerKind::depthwise_conv2d) {
        const std::size_t k = (static_cast<std::size_t>(i) * layer.kernel_w + j) * in.channels + c;
        sum += real(x, x.index(h, w, c), q) * real_weight(q, k, c);
      } else {
        sum += real(x, x.index(h, w, c), q);
        best = std::max(best, real(x, x.index(h, w, c), q));
      }
    }
  }
  switch (layer.kind) {
    case LayerKind::max_pool: return best;
    case LayerKind::avg_pool: return sum / count;
    default: return sum + real_bias(q, c);
  }
}

// The exact real output of every element of a layer.
std::vector<double> float_layer(const Layer& layer, const std::vector<const Tensor8*>& inputs) {
  const LayerQuant& q = *layer.quant;
  const Tensor8& x = *inputs[0];
  const TensorShape& out = layer.output;
  std::vector<double> y(static_cast<std::size_t>(out.elements()));
  for (int oh = 0; oh < out.height; ++oh) {
    for (int ow = 0; ow < out.width; ++ow) {
      for (int c = 0; c < out.channels; ++c) {
        const std::size_t n = (static_cast<std::size_t>(oh) * out.width + ow) * out.channels + c;
        switch (layer.kind) {
          case LayerKind::fully_connected: {
            double sum = real_bias(q, c);
            for (std::size_t k = 0; k < x.data.size(); ++k) {
              sum += real(x, k, q) * real_weight(q, static_cast<std::size_t>(c) * x.data.size() + k, c);
            }
            y[n] = sum;
            break;
          }
          case LayerKind::global_avg_pool: {
            double sum = 0.0;
            for (int h = 0; h < x.shape.height; ++h) {
              for (int w = 0; w < x.shape.width; ++w) sum += real(x, x.index(h, w, c), q);
            }
            y[n] = sum / (x.shape.height * x.shape.width);
            break;
          }
          case LayerKind::add: y[n] = real(x, n, q, 0) + real(*inputs[1], n, q, 1); break;
          case LayerKind::activation: y[n] = real(x, n, q); break;
          default: y[n] = window_value(layer, x, oh, ow, c);
        }
      }
    }
  }
  return y;
}

// The largest |golden - exact| in output LSBs, the exact value clamped like the golden one.
double max_deviation(const Layer& layer, const Tensor8& golden, const std::vector<double>& exact) {
  const LayerQuant& q = *layer.quant;
  double worst = 0.0;
  for (std::size_t n = 0; n < exact.size(); ++n) {
    const double level = std::clamp(exact[n] / q.output_scale + q.output_zero_point,
                                    static_cast<double>(q.activation_min),
                                    static_cast<double>(q.activation_max));
    worst = std::max(worst, std::fabs(golden.data[n] - level));
  }
  return worst;
}

// Every layer kind and window case: odd and even kernels, strides 1 and 2, same and valid.
Network mixed_network() {
  NetworkBuilder b("mixed", {12, 12, 3}, 5);
  const int c1 = b.conv("c1", NetworkBuilder::network_input, 8, 3, 1, Activation::relu6);
  const int dw = b.depthwise("dw", c1, 3, 2, Activation::relu);
  const int pw = b.conv("pw", dw, 8, 1, 1, Activation::none);
  const int mp = b.pool("mp", LayerKind::max_pool, c1, 2, 2);
  const int sum = b.add("sum", pw, mp, Activation::relu);
  const int c4 = b.conv("c4", sum, 8, 5, 2, Activation::none);
  const int dw2 = b.depthwise("dw2", c4, 2, 1, Activation::relu6, Padding::valid);
  const int ap = b.pool("ap", LayerKind::avg_pool, c4, 3, 1);
  const int ap2 = b.pool("ap2", LayerKind::avg_pool, dw2, 2, 2, Padding::valid);
  const int c3 = b.conv("c3", ap, 6, 2, 1, Activation::relu, Padding::valid);
  const int gap = b.global_avg_pool("gap", c3);
  const int fc_in = b.add("sum2", gap, b.global_avg_pool("gap2", b.conv("c5", ap2, 6, 1, 1,
                                                                         Activation::none)));
  b.fully_connected("fc", fc_in, 5);
  return b.finish();
}

}  // namespace

TEST_CASE("t_golden: golden output within half an LSB of the float computation",
          "[golden][float]") {
  std::map<LayerKind, double> worst;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    Network net = mixed_network();
    quantize_randomly(net, seed);
    REQUIRE_FALSE(net.validate());
    const Tensor8 input = random_input(net, seed);
    const std::vector<Tensor8> outputs = golden_network(net, input);
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
      const Layer& layer = net.layers[l];
      std::vector<const Tensor8*> inputs;
      for (int p : layer.inputs) inputs.push_back(p < 0 ? &input : &outputs[static_cast<std::size_t>(p)]);
      const double deviation = max_deviation(layer, outputs[l], float_layer(layer, inputs));
      worst[layer.kind] = std::max(worst[layer.kind], deviation);
      INFO("seed " << seed << ", layer " << layer.name);
      CHECK(deviation <= tolerance(layer.kind));
    }
  }
  CHECK(worst.size() == 7);  // conv, depthwise, fc, add, max, avg, global avg all checked
  for (const auto& [kind, deviation] : worst) {
    INFO(layer_kind_name(kind) << ": largest deviation " << deviation << " LSB");
    CHECK(deviation <= tolerance(kind));
  }
}

TEST_CASE("t_golden: residual add within half an LSB of the float sum, any scale ratio",
          "[golden][float][add]") {
  // derive_add_params rounds the smaller scale's ratio to 14 bits; this measures what that
  // costs over random scales (ratios up to 1000) and every pair of int8 values.
  std::mt19937_64 rng(2024);
  auto log_uniform = [&](double lo, double hi) {
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    return lo * std::pow(hi / lo, u);
  };
  Layer layer = make_layer({LayerKind::add, {1, 256, 1}});
  double worst = 0.0;
  for (int trial = 0; trial < 200; ++trial) {
    LayerQuant q = make_quant(layer, 1.0f, 0, 1.0f, 0);
    q.input_scales = {static_cast<float>(log_uniform(1e-3, 1.0)),
                      static_cast<float>(log_uniform(1e-3, 1.0))};
    q.input_zero_points = {static_cast<int>(rng() % 41) - 20, static_cast<int>(rng() % 41) - 20};
    q.output_scale = static_cast<float>((q.input_scales[0] + q.input_scales[1]) * log_uniform(0.5, 2.0));
    q.output_zero_point = static_cast<int>(rng() % 41) - 20;
    layer.quant = q;
    Tensor8 a = Tensor8::zeros(layer.output), b = Tensor8::zeros(layer.output);
    for (int va = -128; va < 128; ++va) {
      for (std::size_t n = 0; n < 256; ++n) {
        a.data[n] = static_cast<std::int8_t>(va);
        b.data[n] = static_cast<std::int8_t>(static_cast<int>(n) - 128);
      }
      const Tensor8 out = golden_layer(layer, {&a, &b});
      worst = std::max(worst, max_deviation(layer, out, float_layer(layer, {&a, &b})));
    }
  }
  INFO("largest deviation from the float sum: " << worst << " LSB");
  CHECK(worst <= tolerance(LayerKind::add));
}
