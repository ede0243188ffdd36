// Residual add (tandem's integer add) and activation clamps by hand.
#include <catch2/catch.hpp>

#include "t_golden_support.h"

using namespace tandem;
using namespace tandem::test;

TEST_CASE("t_golden: add parameters: larger scale is 2^14, the smaller its rounded ratio",
          "[golden][add]") {
  const AddParams p = derive_add_params(0.3, 0.1, 0.2);
  CHECK(p.m_a == 16384);
  CHECK(p.m_b == 5461);  // round(16384 / 3)
  std::int32_t multiplier = 0;
  int shift = 0;
  quantize_multiplier(0.3 / 16384.0 / 0.2, &multiplier, &shift);
  CHECK(p.multiplier == multiplier);
  CHECK(p.shift == shift);
  const AddParams swapped = derive_add_params(0.1, 0.3, 0.2);
  CHECK(swapped.m_a == 5461);
  CHECK(swapped.m_b == 16384);
  CHECK_THROWS_AS(derive_add_params(0.0, 0.1, 0.2), std::invalid_argument);
}

TEST_CASE("t_golden: residual add by hand", "[golden][add]") {
  Layer layer = make_layer({LayerKind::add, {1, 2, 1}});
  LayerQuant quant = make_quant(layer, 0.5f, 0, 0.5f, 3);
  quant.input_scales = {0.5f, 0.25f};
  quant.input_zero_points = {2, -7};
  layer.quant = quant;
  // Element 0: (10 - 2) * 0.5 + (-3 + 7) * 0.25 = 5.0 real = 10 at 0.5, + 3 = 13.
  // Element 1: (-2 - 2) * 0.5 + (0 + 7) * 0.25 = -0.25 real = -0.5 -> -1 (away from zero) + 3.
  const Tensor8 a = tensor({1, 2, 1}, {10, -2});
  const Tensor8 b = tensor({1, 2, 1}, {-3, 0});
  CHECK(values(golden_layer(layer, {&a, &b})) == std::vector<int>{13, 2});
}

TEST_CASE("t_golden: add with ReLU clamps at the output zero point", "[golden][add]") {
  Layer layer = make_layer({LayerKind::add, {1, 2, 1}, 1, 1, Padding::same, 0, Activation::relu});
  layer.quant = make_quant(layer, 1.0f, 0, 1.0f, -4);
  const Tensor8 a = tensor({1, 2, 1}, {-10, 60});
  const Tensor8 b = tensor({1, 2, 1}, {3, 80});
  // -7 real -> -11, raised to the ReLU floor -4; 140 -> 136 saturates at 127.
  CHECK(values(golden_layer(layer, {&a, &b})) == std::vector<int>{-4, 127});
}

TEST_CASE("t_golden: ReLU6 folds into the clamp of a conv", "[golden][activation]") {
  Layer layer = make_layer({LayerKind::conv2d, {1, 4, 1}, 1, 1, Padding::same, 1,
                            Activation::relu6});
  layer.quant = make_quant(layer, 0.1f, 0, 0.1f, -10, {1}, {0});
  // 0 real = -10, 6 real = -10 + 60 = 50.
  CHECK(layer.quant->activation_min == -10);
  CHECK(layer.quant->activation_max == 50);
  CHECK(values(run(layer, tensor({1, 4, 1}, {-30, 5, 59, 100}))) ==
        std::vector<int>{-10, -5, 49, 50});
}

TEST_CASE("t_golden: a standalone activation is a clamp", "[golden][activation]") {
  Layer layer = make_layer({LayerKind::activation, {1, 3, 1}, 1, 1, Padding::same, 0,
                            Activation::relu6});
  layer.quant = make_quant(layer, 0.05f, 5, 0.05f, 5);
  CHECK(values(run(layer, tensor({1, 3, 1}, {-128, 64, 127}))) == std::vector<int>{5, 64, 125});
}
