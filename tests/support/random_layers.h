// Random single layers for sweeps: every kind the compiler maps, odd sizes, strides 1 and 2,
// kernels 1/3/5/7, and some with extreme quantization parameters.
#pragma once

#include <limits>
#include <random>

#include "core/random.h"
#include "models/network_builder.h"
#include "models/random_quantization.h"

namespace tandem::test {

inline int pick(std::mt19937_64& rng, std::initializer_list<int> values) {
  return *(values.begin() + uniform_index(rng, static_cast<int>(values.size())));
}

inline int between(std::mt19937_64& rng, int lo, int hi) { return lo + uniform_index(rng, hi - lo + 1); }

// Pushes a layer's quantization to the corners: zero points at the int8 ends, multipliers near
// the int32 limit, large shifts both ways, large biases, narrow clamps.
inline void make_extreme(Layer& layer, std::mt19937_64& rng) {
  LayerQuant& q = *layer.quant;
  const bool clamp_only = layer.kind == LayerKind::max_pool || layer.kind == LayerKind::activation;
  for (auto& zp : q.input_zero_points) zp = pick(rng, {-128, 127, -1, 0});
  if (clamp_only) {
    q.output_zero_point = q.input_zero_points.at(0);  // must keep the input quantization
  } else {
    q.output_zero_point = pick(rng, {-128, 127, 0});
  }
  for (auto& m : q.output_multipliers) m = pick(rng, {std::numeric_limits<std::int32_t>::max(), 1 << 30, 1518500250});
  for (auto& s : q.output_shifts) s = pick(rng, {-31, -20, -8, 0, 3});
  for (auto& b : q.bias) b = pick(rng, {std::numeric_limits<std::int32_t>::max() / 2, -(1 << 28), 0, 12345});
  q.activation_min = pick(rng, {-128, -5, 0});
  q.activation_max = pick(rng, {127, 6, 100});
  if (q.activation_min > q.activation_max) std::swap(q.activation_min, q.activation_max);
}

// A one-layer network (two inputs for add are two branches of the input).
inline Network random_layer_network(std::mt19937_64& rng, int index) {
  const int h = between(rng, 1, 11), w = between(rng, 1, 11), c = between(rng, 1, 19);
  NetworkBuilder b("sweep" + std::to_string(index), {h, w, c}, 0);
  const int in = NetworkBuilder::network_input;
  const Activation act = static_cast<Activation>(uniform_index(rng, 3));
  const Padding padding = uniform_index(rng, 2) ? Padding::same : Padding::valid;
  int last = in;
  switch (uniform_index(rng, 8)) {
    case 0:
    case 1: {
      const int k = pick(rng, {1, 3, 5, 7});
      const Padding p = (k > h || k > w) ? Padding::same : padding;
      last = b.conv("conv", in, between(rng, 1, 21), k, pick(rng, {1, 2}), act, p);
      break;
    }
    case 2: {
      const int k = pick(rng, {3, 5, 7});
      const Padding p = (k > h || k > w) ? Padding::same : padding;
      last = b.depthwise("dw", in, k, pick(rng, {1, 2}), act, p);
      break;
    }
    case 3: last = b.fully_connected("fc", in, between(rng, 1, 17), act); break;
    case 4: {
      const int left = b.depthwise("branch", in, 1, 1, Activation::none);
      last = b.add("add", left, in, act);
      break;
    }
    case 5: last = b.pool("maxpool", LayerKind::max_pool, in, pick(rng, {2, 3}), pick(rng, {1, 2}), Padding::same); break;
    case 6: {
      const int k = std::min({2, h, w});
      last = b.pool("avgpool", LayerKind::avg_pool, in, k, pick(rng, {1, 2}), Padding::valid);
      break;
    }
    default: last = b.global_avg_pool("gap", in); break;
  }
  (void)last;
  Network net = b.finish();
  quantize_randomly(net, static_cast<std::uint64_t>(index) * 7919 + 1);
  if (uniform_index(rng, 4) == 0) make_extreme(net.layers.back(), rng);
  return net;
}

}  // namespace tandem::test
