// Integer requantization arithmetic of the tandem accelerator, bit-exact with the RTL vector
// unit (rtl_templates/tandem_vector_unit.v) and with TFLite's reference kernels
// (tensorflow/lite/kernels/internal/common.h, gemmlowp fixedpoint.h). Header-only, no
// dependencies; the golden reference, the compiler and the RTL block tests all use it.
//
// Semantics (docs/isa.md, VECTOR):
//   requant(x) = clamp(zp_out + MultiplyByQuantizedMultiplier(x, multiplier, shift))
//   MultiplyByQuantizedMultiplier(x, m, shift) =
//       RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x << max(shift, 0), m),
//                           max(-shift, 0))
// Choices where TFLite leaves behaviour undefined, shared with the RTL:
//   - shift is first clamped to [kMinShift, kMaxShift] = [-31, 30] (TFLite's QuantizeMultiplier
//     never produces anything else; see models/quantization.cpp).
//   - the left shift (shift > 0) saturates to int32 (TFLite: signed overflow, undefined).
//   - every other int32 addition wraps (two's complement): acc + bias and zp_out + result.
//   - clamp(v) = min(max(v, clamp_lo), clamp_hi): with clamp_lo > clamp_hi the result is
//     clamp_hi, as TFLite's max-then-min order gives.
#pragma once

#include <cstdint>
#include <limits>

namespace tandem {

inline constexpr int kMinShift = -31;  // largest right shift
inline constexpr int kMaxShift = 30;   // largest left shift

// Two's-complement wrapping int32 addition (no undefined behaviour).
inline std::int32_t wrapping_add(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}

// gemmlowp SaturatingRoundingDoublingHighMul: round(a * b / 2^31), ties upward (-1.5 -> -1), with
// the one overflowing case (INT32_MIN * INT32_MIN) saturated to INT32_MAX.
inline std::int32_t saturating_rounding_doubling_high_mul(std::int32_t a, std::int32_t b) {
  if (a == b && a == std::numeric_limits<std::int32_t>::min()) {
    return std::numeric_limits<std::int32_t>::max();
  }
  const std::int64_t ab = static_cast<std::int64_t>(a) * static_cast<std::int64_t>(b);
  const std::int64_t nudge = ab >= 0 ? (std::int64_t{1} << 30) : (1 - (std::int64_t{1} << 30));
  return static_cast<std::int32_t>((ab + nudge) / (std::int64_t{1} << 31));  // truncates to 0
}

// gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero.
// exponent in [0, 31].
inline std::int32_t rounding_divide_by_pot(std::int32_t x, int exponent) {
  const std::int64_t mask = (std::int64_t{1} << exponent) - 1;
  const std::int64_t remainder = static_cast<std::int64_t>(x) & mask;
  const std::int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  const std::int64_t floor = static_cast<std::int64_t>(x) >> exponent;  // arithmetic shift
  return static_cast<std::int32_t>(floor + (remainder > threshold ? 1 : 0));
}

// x * 2^shift saturated to int32; shift in [0, 30].
inline std::int32_t saturating_left_shift(std::int32_t x, int shift) {
  const std::int64_t wide = static_cast<std::int64_t>(x) * (std::int64_t{1} << shift);
  if (wide > std::numeric_limits<std::int32_t>::max())
    return std::numeric_limits<std::int32_t>::max();
  if (wide < std::numeric_limits<std::int32_t>::min())
    return std::numeric_limits<std::int32_t>::min();
  return static_cast<std::int32_t>(wide);
}

inline int clamp_shift(int shift) {
  return shift < kMinShift ? kMinShift : (shift > kMaxShift ? kMaxShift : shift);
}

// TFLite MultiplyByQuantizedMultiplier: x * multiplier * 2^(shift - 31), rounded; shift > 0 is a
// saturating left shift of x, shift <= 0 a rounding right shift of the product.
inline std::int32_t multiply_by_quantized_multiplier(std::int32_t x, std::int32_t multiplier,
                                                     int shift) {
  shift = clamp_shift(shift);
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  return rounding_divide_by_pot(
      saturating_rounding_doubling_high_mul(saturating_left_shift(x, left), multiplier), right);
}

// The vector unit's requant lane: clamp(zp_out + MBQM(acc + bias)), int32 sums wrapping.
// zp_out, clamp_lo and clamp_hi are int8 values (the RTL holds them in 8 bits).
inline std::int8_t requantize(std::int32_t acc, std::int32_t bias, std::int32_t multiplier,
                              int shift, std::int32_t zp_out, std::int32_t clamp_lo,
                              std::int32_t clamp_hi) {
  std::int32_t v = wrapping_add(
      zp_out, multiply_by_quantized_multiplier(wrapping_add(acc, bias), multiplier, shift));
  if (v < clamp_lo) v = clamp_lo;
  if (v > clamp_hi) v = clamp_hi;
  return static_cast<std::int8_t>(v);
}

}  // namespace tandem
