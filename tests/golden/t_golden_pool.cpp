// Pooling by hand: max, average (border windows divide by their own count), global average.
#include <catch2/catch.hpp>

#include "t_golden_support.h"

using namespace tandem;
using namespace tandem::test;

TEST_CASE("t_golden: max pool takes the max of valid inputs only", "[golden][pool]") {
  Layer layer = make_layer({LayerKind::max_pool, {3, 3, 1}, 2, 2, Padding::same});
  layer.quant = make_quant(layer, 0.1f, -3, 0.1f, -3);
  // All negative: a padded tap read as 0 (or as the zero point) would win.
  const Tensor8 input = tensor({3, 3, 1}, {-90, -80, -70, -60, -50, -40, -30, -20, -10});
  CHECK(values(run(layer, input)) == std::vector<int>{-50, -40, -20, -10});
}

TEST_CASE("t_golden: max pool clamps to the fused activation", "[golden][pool]") {
  Layer layer = make_layer({LayerKind::max_pool, {1, 2, 1}, 1, 1, Padding::valid,
                            0, Activation::relu});
  layer.quant = make_quant(layer, 0.1f, -3, 0.1f, -3);
  CHECK(values(run(layer, tensor({1, 2, 1}, {-50, 7}))) == std::vector<int>{-3, 7});
}

TEST_CASE("t_golden: average pool, same padding, each window divides by its own count",
          "[golden][pool]") {
  Layer layer = make_layer({LayerKind::avg_pool, {3, 3, 1}, 2, 2, Padding::same});
  layer.quant = make_quant(layer, 0.5f, 0, 0.5f, 0);
  // Windows: [1 2; 4 5] / 4 = 3, [3; 6] / 2 = 4.5 -> 5, [7 8] / 2 = 7.5 -> 8, [9] / 1 = 9.
  CHECK(values(run(layer, tensor({3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}))) ==
        std::vector<int>{3, 5, 8, 9});
  // Negative ties: the multiplier 0.5 has shift 0, so the tie is decided by the high multiply,
  // which rounds it up: -4.5 -> -4, -7.5 -> -7. TFLite's AVERAGE_POOL_2D rounds them away from
  // zero (-5, -8): a documented one-LSB difference on exact ties (docs/golden.md).
  CHECK(values(run(layer, tensor({3, 3, 1}, {-1, -2, -3, -4, -5, -6, -7, -8, -9}))) ==
        std::vector<int>{-3, -4, -7, -9});
}

TEST_CASE("t_golden: average pool subtracts the input zero point and requantizes",
          "[golden][pool]") {
  Layer layer = make_layer({LayerKind::avg_pool, {2, 2, 1}, 2, 1, Padding::valid});
  layer.quant = make_quant(layer, 0.2f, 10, 0.1f, -20);
  // x - zp = 2, 4, 6, 8: mean 5 at scale 0.2 = 1.0 real = 10 at scale 0.1, + zp_out = -10.
  CHECK(values(run(layer, tensor({2, 2, 1}, {12, 14, 16, 18}))) == std::vector<int>{-10});
  const Requant requant = derive_avg_pool_requant(0.2, 0.1, 4);
  CHECK(requant.multiplier == (1 << 30));  // 0.5 = 2^30 * 2^(0 - 31)
  CHECK(requant.shift == 0);
}

TEST_CASE("t_golden: global average pool, per channel over the whole input", "[golden][pool]") {
  Layer layer = make_layer({LayerKind::global_avg_pool, {2, 2, 2}});
  layer.quant = make_quant(layer, 1.0f, -1, 1.0f, 3);
  // Channel 0: x - zp = 1, 3, 5, 7 -> 16 / 4 = 4. Channel 1: x - zp = 0, 0, 0, 1 -> 0.25, which
  // TFLite's double rounding makes 1: multiplier 0.5 (2^30) and shift -1, the high multiply
  // rounds 0.5 up to 1, the shift rounds 0.5 away from zero to 1 again.
  const Tensor8 input = tensor({2, 2, 2}, {0, -1, 2, -1, 4, -1, 6, 0});
  CHECK(values(run(layer, input)) == std::vector<int>{7, 4});
  CHECK(window_taps(window_geometry(layer), 0, 0).count() == 4);
}
