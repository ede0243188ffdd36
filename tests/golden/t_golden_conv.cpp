// Weighted layers by hand: conv2d (valid/same borders, stride 2), depthwise, fully connected.
#include <catch2/catch.hpp>

#include "t_golden_support.h"

using namespace tandem;
using namespace tandem::test;

namespace {
// 3x3x1 input 1..9 with zero point 1, so x - zp = 0..8 in row-major order.
const Tensor8 kRamp = tensor({3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
}  // namespace

TEST_CASE("t_golden: 2x2 conv, valid padding, by hand", "[golden][conv]") {
  Layer layer = make_layer({LayerKind::conv2d, {3, 3, 1}, 2, 1, Padding::valid, 1});
  // Real multiplier 1 * 1 / 1 = 1: the requantization is the identity plus zp_out.
  layer.quant = make_quant(layer, 1.0f, 1, 1.0f, -5, {1, 2, 3, 4}, {10});
  // (0,0): 0*1 + 1*2 + 3*3 + 4*4 = 27, + bias 10, + zp_out -5 = 32; then 37+5, 57+5, 67+5.
  CHECK(values(run(layer, kRamp)) == std::vector<int>{32, 42, 62, 72});
}

TEST_CASE("t_golden: 2x2 conv, same padding: borders see only valid inputs", "[golden][conv]") {
  Layer layer = make_layer({LayerKind::conv2d, {3, 3, 1}, 2, 1, Padding::same, 1});
  layer.quant = make_quant(layer, 1.0f, 1, 1.0f, -5, {1, 2, 3, 4}, {10});
  // Total padding 1, all after (TFLite). Right column: taps (0,0)+(1,0); bottom row: (0,0)+(0,1).
  // (0,2): 2*1 + 5*3 = 17 -> 22; (1,2): 5 + 8*3 -> 34; (2,0): 6 + 7*2 -> 25; (2,1): 7 + 8*2
  // -> 28; (2,2): 8 -> 13. A padded tap holding 0 instead of the zero point would add -w.
  CHECK(values(run(layer, kRamp)) == std::vector<int>{32, 42, 22, 62, 72, 34, 25, 28, 13});
}

TEST_CASE("t_golden: 3x3 conv, same padding, two output channels", "[golden][conv]") {
  Layer layer = make_layer({LayerKind::conv2d, {3, 3, 1}, 3, 1, Padding::same, 2});
  std::vector<std::int8_t> weights(18, 1);  // channel 0: all ones
  for (std::size_t k = 9; k < 18; ++k) weights[k] = -1;  // channel 1: all minus ones
  layer.quant = make_quant(layer, 1.0f, 1, 1.0f, 0, weights, {0, 100});
  const Tensor8 out = run(layer, kRamp);
  CHECK(out.at(1, 1, 0) == 36);           // 0 + 1 + ... + 8
  CHECK(out.at(0, 0, 0) == 0 + 1 + 3 + 4);  // corner: 2x2 valid taps
  CHECK(out.at(2, 1, 0) == 3 + 4 + 5 + 6 + 7 + 8);
  CHECK(out.at(1, 1, 1) == 100 - 36);
  CHECK(out.at(0, 0, 1) == 100 - 8);
}

TEST_CASE("t_golden: 3x3 conv, stride 2, same padding, halving with ties away from zero",
          "[golden][conv]") {
  Layer layer = make_layer({LayerKind::conv2d, {4, 4, 1}, 3, 2, Padding::same, 1});
  Tensor8 input = Tensor8::zeros({4, 4, 1});
  for (int v = 0; v < 16; ++v) input.data[static_cast<std::size_t>(v)] = static_cast<std::int8_t>(v);
  layer.quant = make_quant(layer, 1.0f, 0, 2.0f, 0, std::vector<std::int8_t>(9, 1), {0});
  // Output 2x2, total padding 1 after. Sums of 4h + w: (0,0) rows 0-2 cols 0-2 = 45,
  // (0,1) rows 0-2 cols 2-3 = 39, (1,0) rows 2-3 cols 0-2 = 66, (1,1) rows 2-3 cols 2-3 = 50;
  // halved: 22.5 -> 23, 19.5 -> 20, 33, 25.
  CHECK(values(run(layer, input)) == std::vector<int>{23, 20, 33, 25});
}

TEST_CASE("t_golden: pointwise conv mixes channels per pixel", "[golden][conv]") {
  Layer layer = make_layer({LayerKind::conv2d, {1, 2, 2}, 1, 1, Padding::same, 1});
  layer.quant = make_quant(layer, 1.0f, 3, 1.0f, 0, {2, -1}, {1});
  // Pixel 0: (5-3)*2 + (7-3)*-1 + 1 = 1; pixel 1: (-3-3)*2 + (3-3)*-1 + 1 = -11.
  CHECK(values(run(layer, tensor({1, 2, 2}, {5, 7, -3, 3}))) == std::vector<int>{1, -11});
}

TEST_CASE("t_golden: depthwise conv, one filter per channel, same padding", "[golden][conv]") {
  Layer layer = make_layer({LayerKind::depthwise_conv2d, {2, 2, 2}, 2, 1, Padding::same});
  // HWC weights [i][j][c]: channel 0 = [1 2; 3 4], channel 1 = [-1 0; 0 1].
  layer.quant = make_quant(layer, 1.0f, 0, 1.0f, 2, {1, -1, 2, 0, 3, 0, 4, 1}, {0, 5});
  // Channel 0 values [1 2; 3 4], channel 1 values [10 20; 30 40].
  const Tensor8 input = tensor({2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 40});
  const Tensor8 out = run(layer, input);
  CHECK(out.at(0, 0, 0) == 1 * 1 + 2 * 2 + 3 * 3 + 4 * 4 + 2);
  CHECK(out.at(0, 0, 1) == -10 + 40 + 5 + 2);
  CHECK(out.at(0, 1, 0) == 2 * 1 + 4 * 3 + 2);  // right border: taps (0,0), (1,0)
  CHECK(out.at(0, 1, 1) == -20 + 5 + 2);
  CHECK(out.at(1, 1, 0) == 4 + 2);
  CHECK(out.at(1, 1, 1) == -40 + 5 + 2);
}

TEST_CASE("t_golden: fully connected flattens H, W, C", "[golden][fc]") {
  Layer layer = make_layer({LayerKind::fully_connected, {1, 2, 2}, 1, 1, Padding::same, 2});
  // [out][in] with in = (h*W + w)*C + c.
  layer.quant = make_quant(layer, 0.5f, -1, 0.25f, 1, {1, 2, 3, 4, -1, 0, 0, 1}, {0, -4}, 0.5f);
  const Tensor8 input = tensor({1, 2, 2}, {0, 1, 2, 3});  // x - zp = 1, 2, 3, 4
  // Real multiplier 0.5 * 0.5 / 0.25 = 1. Out 0: 1 + 4 + 9 + 16 = 30 -> 31;
  // out 1: -1 + 4 - 4 = -1 -> 0.
  CHECK(values(run(layer, input)) == std::vector<int>{31, 0});
}
