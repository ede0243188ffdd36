// Requantization edge cases through the golden reference: the arithmetic itself is
// core/quant_math.h's (tested with the RTL in t_vector_unit); here we hold the golden layers to
// it: negative ties, saturation, extreme shifts, int32 wrap of acc + bias.
#include <catch2/catch.hpp>

#include <limits>

#include "core/quant_math.h"
#include "t_golden_support.h"

using namespace tandem;
using namespace tandem::test;

namespace {

// A 1x1 conv of one channel with weight 1 and zero points 0: its accumulator is the input
// value, so the output is requant(x + bias) with exactly the multiplier and shift given.
Tensor8 requant_through_conv(int x, std::int32_t bias, std::int32_t multiplier, int shift,
                             std::int32_t zp_out = 0) {
  Layer layer = make_layer({LayerKind::conv2d, {1, 1, 1}, 1, 1, Padding::same, 1});
  LayerQuant quant = make_quant(layer, 1.0f, 0, 1.0f, zp_out, {1}, {bias});
  quant.output_multipliers = {multiplier};
  quant.output_shifts = {shift};
  layer.quant = quant;
  return run(layer, tensor({1, 1, 1}, {x}));
}

int golden_requant(int x, std::int32_t bias, std::int32_t multiplier, int shift,
                   std::int32_t zp_out = 0) {
  const int out = requant_through_conv(x, bias, multiplier, shift, zp_out).data[0];
  CHECK(out == requantize(x, bias, multiplier, shift, zp_out, -128, 127));
  return out;
}

constexpr std::int32_t kHalf = 1 << 30;  // multiplier 2^30 with shift 0 is 0.5
constexpr std::int32_t kMax32 = std::numeric_limits<std::int32_t>::max();

}  // namespace

TEST_CASE("t_golden: requant ties: up in the high multiply, away from zero in the shift",
          "[golden][requant]") {
  // gemmlowp's SaturatingRoundingDoublingHighMul nudges negatives by 1 - 2^30: an exact tie
  // there rounds towards +infinity; RoundingDivideByPOT rounds ties away from zero.
  CHECK(golden_requant(5, 0, kHalf, 0) == 3);     // 2.5 in the high multiply
  CHECK(golden_requant(-5, 0, kHalf, 0) == -2);   // -2.5 in the high multiply
  CHECK(golden_requant(6, 0, kHalf, -1) == 2);    // 1.5 in the shift
  CHECK(golden_requant(-6, 0, kHalf, -1) == -2);  // -1.5 in the shift
  CHECK(golden_requant(-3, 0, kHalf, -1) == -1);  // -0.75: -1.5 -> -1, then -0.5 -> -1
  CHECK(golden_requant(1, 0, kHalf, -1) == 1);    // 0.25, rounded twice: 0.5 -> 1, 0.5 -> 1
  CHECK(golden_requant(-2, -4, kHalf, -1) == -2);  // acc + bias before rounding: -6 * 0.25
}

TEST_CASE("t_golden: requant saturates at the int8 range after the zero point",
          "[golden][requant]") {
  CHECK(golden_requant(100, 0, kHalf, 2, 0) == 127);     // 200
  CHECK(golden_requant(-100, 0, kHalf, 2, 0) == -128);   // -200
  CHECK(golden_requant(100, 0, kHalf, 0, 100) == 127);   // 150 after zp_out
  CHECK(golden_requant(-1, -1000000, kHalf, 0, -20) == -128);
}

TEST_CASE("t_golden: requant with extreme shifts and int32 wrap of acc + bias",
          "[golden][requant]") {
  CHECK(golden_requant(1, 0, kMax32, 30) == 127);            // left shift 30, saturated
  CHECK(golden_requant(-1, 0, kMax32, 30) == -128);
  CHECK(golden_requant(127, kMax32 - 200, kHalf, -31) == 0);  // 2^31-73 * 2^-32 -> 0.5- -> 0
  CHECK(golden_requant(1, kMax32, kHalf, -30) == -1);         // wraps to INT32_MIN: -2^31 / 2^31
  CHECK(golden_requant(0, kMax32, kHalf, -30) == 1);          // (2^31 - 1) / 2^31 -> 1
  CHECK(golden_requant(1, 0, kHalf, -40) == 0);               // shift clamped to -31
}
