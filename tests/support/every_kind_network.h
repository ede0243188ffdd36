// A small network with every layer kind the compiler maps, for compiler, RTL and analytic tests.
#pragma once

#include "models/network_builder.h"
#include "models/random_quantization.h"

namespace tandem::test {

// Convolutions (3x3 same, 3x3 stride-2 valid, pointwise), depthwise (3x3, 5x5 stride 2),
// residual add, max/avg/global-average pooling and a fully connected classifier, on `input`
// with `channels` in the trunk; seeded random quantization.
inline Network every_kind_network(const TensorShape& input, int channels, int pointwise_channels,
                                  std::uint64_t seed) {
  NetworkBuilder b("every_kind", input, 10);
  const int in = NetworkBuilder::network_input;
  const int c1 = b.conv("conv3x3", in, channels, 3, 1, Activation::relu);
  b.conv("conv3x3_s2_valid", c1, 6, 3, 2, Activation::none, Padding::valid);
  const int d1 = b.depthwise("dw3x3", c1, 3, 1, Activation::relu6);
  b.depthwise("dw5x5_s2", c1, 5, 2, Activation::none);
  b.conv("pointwise", d1, pointwise_channels, 1, 1, Activation::relu6);
  b.add("residual", c1, d1, Activation::relu);
  b.pool("maxpool", LayerKind::max_pool, c1, 3, 2, Padding::same);
  b.pool("avgpool", LayerKind::avg_pool, c1, 2, 2, Padding::valid);
  const int gp = b.global_avg_pool("gap", c1);
  b.fully_connected("fc", gp, 10);
  Network net = b.finish();
  quantize_randomly(net, seed);
  return net;
}

}  // namespace tandem::test
