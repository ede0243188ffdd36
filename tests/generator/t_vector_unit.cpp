// Block test of tandem_vector_unit (rtl_templates/tandem_vector_unit.v), verilated for several
// (IBUF_ELEMS, OBUF_ELEMS, LANES) sets, bit-exact against docs/isa.md semantics (core/quant_math.h), with the
// documented cycle and activity formulas.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/isa.h"
#include "core/quant_math.h"
#include "tandem_vector_unit_variants.h"
#include "vector_unit_harness.h"

using namespace vtest;

namespace {

constexpr std::int32_t kMin32 = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kMax32 = std::numeric_limits<std::int32_t>::max();

// The verilated parameter sets, declared once in tests/generator/CMakeLists.txt.
#define TANDEM_VECTOR_CONFIG(Model, name, ...) Config{"vec_" name, __VA_ARGS__},
const Config kVariants[] = {TANDEM_VARIANTS_TANDEM_VECTOR_UNIT(TANDEM_VECTOR_CONFIG)};
#undef TANDEM_VECTOR_CONFIG

const Config& variant(const std::string& name) {
  for (const Config& config : kVariants) {
    if (name == config.name) return config;
  }
  throw std::logic_error("no verilated vector-unit variant " + name);
}
const Config& kA = variant("vec_a");
const Config& kB = variant("vec_b");
const Config& kC = variant("vec_c");
const Config& kD = variant("vec_d");
const Config& kE = variant("vec_e");

// Calls fn(harness) for every verilated parameter set.
template <class Fn>
void for_each_model(std::uint32_t seed, Fn&& fn) {
#define TANDEM_RUN_MODEL(Model, name, ...)   \
  {                                          \
    Harness<Model> h(variant("vec_" name), seed); \
    fn(h);                                   \
  }
  TANDEM_VARIANTS_TANDEM_VECTOR_UNIT(TANDEM_RUN_MODEL)
#undef TANDEM_RUN_MODEL
}

int uniform(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}
std::int32_t any32(std::mt19937& rng) { return static_cast<std::int32_t>(rng()); }

std::string describe(const Config& cfg, const Insn& in, const VSet& vs) {
  std::ostringstream out;
  out << cfg.name << " (IBUF_ELEMS=" << cfg.ibuf_elems << " OBUF_ELEMS=" << cfg.obuf_elems
      << " LANES=" << cfg.lanes << " DW_KERNEL=" << cfg.dw_kernel
      << " REQUANT_LATENCY=" << cfg.requant_latency << ") vop "
      << in.vop << " src " << in.src << " src2 " << in.src2 << " dst " << in.dst << " count "
      << in.count << " kh " << in.kh << " kw " << in.kw << " row_pitch " << in.row_pitch
      << " stride " << in.stride
      << " | zp_a " << vs.zp_a << " zp_b " << vs.zp_b << " zp_out " << vs.zp_out << " clamp ["
      << vs.clamp_lo << ", " << vs.clamp_hi << "] m_a " << vs.m_a << " m_b " << vs.m_b
      << " col_step " << vs.col_step << " param_base " << vs.param_base << " out_step "
      << vs.out_step;
  return out.str();
}

// Runs one instruction on the RTL and checks memories, cycles and activity.
template <class H>
void run_checked(H& h, const Insn& in, const VSet& vs) {
  const Config& cfg = h.config();
  INFO(describe(cfg, in, vs));
  Memories want = h.mem;
  reference(cfg, in, vs, want);
  const RunResult r = h.run(in, vs);
  REQUIRE_FALSE(r.timed_out);
  for (const auto& v : r.violations) FAIL_CHECK(v);
  CHECK(diff(cfg, want, h.mem) == "");
  CHECK(r.busy_cycles == expected_busy_cycles(cfg, in));
  CHECK(r.lane_ops == expected_lane_ops(cfg, in));
  const Accesses a = expected_accesses(cfg, in);
  CHECK(r.accesses.ibuf_reads == a.ibuf_reads);
  CHECK(r.accesses.ibuf_writes == a.ibuf_writes);
  CHECK(r.accesses.obuf_reads == a.obuf_reads);
  CHECK(r.accesses.obuf_writes == a.obuf_writes);
  CHECK(r.accesses.param_reads == a.param_reads);
}

TEST_CASE("t_vector_unit: the RTL was verilated with the generator's tandem_isa.vh", "[vector][rtl]") {
  std::ifstream in(TANDEM_ISA_HEADER, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == tandem::isa::verilog_header());
}

// --- random contents --------------------------------------------------------------------------

template <class H>
void fill_ibuf(H& h) {
  for (auto& word : h.mem.ibuf) {
    for (auto& x : word) x = static_cast<std::int8_t>(h.rng()());
  }
}

template <class H>
void fill_obuf(H& h) {
  auto& rng = h.rng();
  for (auto& word : h.mem.obuf) {
    for (auto& x : word) {
      switch (uniform(rng, 0, 5)) {
        case 0:
          x = any32(rng);
          break;  // large accumulators
        case 1:
          x = uniform(rng, 0, 1) ? kMin32 : kMax32;
          break;
        case 2:
          x = uniform(rng, -3, 3);
          break;
        default:
          x = uniform(rng, -(1 << 18), 1 << 18);
          break;  // typical conv sums
      }
    }
  }
}

// Per-channel parameters: mostly what QuantizeMultiplier gives (multiplier in [2^30, 2^31),
// shift in [shift_lo, shift_hi]), some arbitrary (negative/extreme multipliers, shifts outside
// [-31, 30], which the unit clamps).
template <class H>
void fill_param(H& h, int shift_lo, int shift_hi, int bias_range) {
  auto& rng = h.rng();
  for (auto& p : h.mem.param) {
    if (uniform(rng, 0, 9) < 8) {
      p.multiplier = uniform(rng, 1 << 30, kMax32);
      p.shift = uniform(rng, shift_lo, shift_hi);
      p.bias = uniform(rng, -bias_range, bias_range);
    } else {
      p.multiplier = uniform(rng, 0, 7) == 0 ? kMin32 : any32(rng);
      p.shift = uniform(rng, -40, 40);
      p.bias = any32(rng);
    }
  }
}

// Output zero point and clamp: none, ReLU, ReLU6, int8 extremes, an empty range (lo > hi).
void random_output(std::mt19937& rng, VSet& vs) {
  const int extremes[] = {-128, 127, 0};
  vs.zp_out = uniform(rng, 0, 2) == 0 ? extremes[uniform(rng, 0, 2)] : uniform(rng, -128, 127);
  switch (uniform(rng, 0, 5)) {
    case 0:
      vs.clamp_lo = vs.zp_out;
      vs.clamp_hi = 127;
      break;  // ReLU
    case 1:   // ReLU6
      vs.clamp_lo = vs.zp_out;
      vs.clamp_hi = std::min(127, vs.zp_out + uniform(rng, 10, 100));
      break;
    case 2:
      vs.clamp_lo = uniform(rng, -128, 127);
      vs.clamp_hi = uniform(rng, -128, 127);
      break;
    default:
      vs.clamp_lo = -128;
      vs.clamp_hi = 127;
      break;
  }
}

int random_zp(std::mt19937& rng) {
  const int extremes[] = {-128, 127, 0};
  return uniform(rng, 0, 2) == 0 ? extremes[uniform(rng, 0, 2)] : uniform(rng, -128, 127);
}

// A 24-bit address whose low `aw` bits are `low` and whose upper bits are junk (the unit uses
// the low bits only).
std::uint32_t with_junk(std::mt19937& rng, std::uint32_t low, int aw) {
  return (low | (rng() << aw)) & 0xffffff;
}

// A windowed instruction (DWCONV and pools): inputs in the lower half of IBUF, weights in the
// third quarter, outputs in the last quarter, so that results never overwrite operands.
template <class H>
void random_window(H& h, int vop, int max_k, Insn& in, VSet& vs) {
  auto& rng = h.rng();
  const int aw = h.config().ibuf_aw;
  const int depth = 1 << aw;
  in.vop = vop;
  for (;;) {
    in.kh = uniform(rng, 1, max_k);
    in.kw = uniform(rng, 1, max_k);
    in.count = uniform(rng, 1, 6);
    vs.col_step = static_cast<std::uint32_t>(uniform(rng, 0, 4));
    vs.out_step = static_cast<std::uint32_t>(uniform(rng, 0, 9));
    in.stride = uniform(rng, 0, 3);
    const int step = vop == kDwconv ? in.stride * int(vs.col_step) : int(vs.out_step);
    const int pitch = uniform(rng, 0, 40);
    const int span = (in.count - 1) * step + (in.kh - 1) * pitch +
                     (in.kw - 1) * int(vs.col_step) + 1;
    if (span > depth / 2 || in.kh * in.kw > depth / 4) continue;
    // row_pitch is 20 bits: junk above the buffer's address bits must not matter
    in.row_pitch = with_junk(rng, static_cast<std::uint32_t>(pitch), aw);
    in.src = with_junk(rng, static_cast<std::uint32_t>(uniform(rng, 0, depth / 2 - span)), aw);
    break;
  }
  in.src2 = with_junk(
      rng, static_cast<std::uint32_t>(uniform(rng, depth / 2, 3 * depth / 4 - in.kh * in.kw)), aw);
  in.dst =
      with_junk(rng, static_cast<std::uint32_t>(uniform(rng, 3 * depth / 4, depth - in.count)), aw);
  vs.param_base = static_cast<std::uint32_t>(uniform(rng, 0, 0xffff));  // wraps modulo PARAM depth
  vs.zp_a = random_zp(rng);
  random_output(rng, vs);
}

// An ADD: operands in the lower half of IBUF, result in the upper half or in place over the
// first operand; multipliers often at the int16 extremes and negative.
template <class H>
void random_add(H& h, bool in_place, Insn& in, VSet& vs) {
  auto& rng = h.rng();
  const int aw = h.config().ibuf_aw;
  const int depth = 1 << aw;
  const int extremes[] = {-32768, 32767, -1, 1};
  auto multiplier = [&] {
    return uniform(rng, 0, 3) == 0 ? extremes[uniform(rng, 0, 3)] : uniform(rng, -32768, 32767);
  };
  in.vop = kAdd;
  in.count = uniform(rng, 1, 8);
  in.src = with_junk(rng, static_cast<std::uint32_t>(uniform(rng, 0, depth / 4)), aw);
  in.src2 = with_junk(rng, static_cast<std::uint32_t>(uniform(rng, depth / 4, depth / 2)), aw);
  in.dst = in_place
               ? in.src
               : with_junk(rng, static_cast<std::uint32_t>(uniform(rng, depth / 2, depth - 8)), aw);
  vs.zp_a = random_zp(rng);
  vs.zp_b = random_zp(rng);
  vs.m_a = multiplier();
  vs.m_b = multiplier();
  vs.param_base = static_cast<std::uint32_t>(uniform(rng, 0, 0xffff));
  random_output(rng, vs);
}

// Random windowed instructions (DWCONV, pools) with per-op parameter ranges.
void random_windows(std::uint32_t seed, int vop, int shift_lo, int shift_hi, int bias_range) {
  for_each_model(seed, [&](auto& h) {
    for (int iter = 0; iter < 40; ++iter) {
      fill_ibuf(h);
      fill_param(h, shift_lo, shift_hi, bias_range);
      Insn in;
      VSet vs;
      random_window(h, vop, 4, in, vs);
      run_checked(h, in, vs);
    }
  });
}

}  // namespace

// --- core/quant_math.h -------------------------------------------------------------------------

TEST_CASE("t_vector_unit: quant_math known values", "[vector][quant]") {
  using namespace tandem;
  // SaturatingRoundingDoublingHighMul: the one overflow, rounding half up (toward +inf)
  CHECK(saturating_rounding_doubling_high_mul(kMin32, kMin32) == kMax32);
  CHECK(saturating_rounding_doubling_high_mul(kMin32, kMax32) == -kMax32);
  CHECK(saturating_rounding_doubling_high_mul(kMax32, kMax32) == kMax32 - 1);
  CHECK(saturating_rounding_doubling_high_mul(3, 1 << 30) == 2);    // 1.5 -> 2
  CHECK(saturating_rounding_doubling_high_mul(-3, 1 << 30) == -1);  // -1.5 -> -1
  CHECK(saturating_rounding_doubling_high_mul(-5, 1 << 30) == -2);  // -2.5 -> -2
  CHECK(saturating_rounding_doubling_high_mul(100, 0) == 0);
  // RoundingDivideByPOT: ties away from zero
  CHECK(rounding_divide_by_pot(3, 1) == 2);
  CHECK(rounding_divide_by_pot(-3, 1) == -2);
  CHECK(rounding_divide_by_pot(-5, 2) == -1);  // -1.25
  CHECK(rounding_divide_by_pot(-6, 2) == -2);  // -1.5
  CHECK(rounding_divide_by_pot(-7, 2) == -2);  // -1.75
  CHECK(rounding_divide_by_pot(kMin32, 31) == -1);
  CHECK(rounding_divide_by_pot(kMax32, 31) == 1);
  CHECK(rounding_divide_by_pot(kMin32, 0) == kMin32);
  CHECK(rounding_divide_by_pot(12345, 0) == 12345);
  // MultiplyByQuantizedMultiplier
  CHECK(multiply_by_quantized_multiplier(1000, 1 << 30, 0) == 500);
  CHECK(multiply_by_quantized_multiplier(1000, 1 << 30, -3) == 63);    // 62.5 -> 63
  CHECK(multiply_by_quantized_multiplier(-1000, 1 << 30, -3) == -63);  // -62.5 -> -63
  CHECK(multiply_by_quantized_multiplier(3, 1 << 30, 2) == 6);
  CHECK(multiply_by_quantized_multiplier(5, kMax32, 30) == kMax32 - 1);  // saturating left shift
  CHECK(multiply_by_quantized_multiplier(-5, kMax32, 30) == -kMax32);
  CHECK(multiply_by_quantized_multiplier(kMin32, kMin32, 0) == kMax32);
  CHECK(multiply_by_quantized_multiplier(kMin32, kMin32, -31) == 1);
  CHECK(multiply_by_quantized_multiplier(1 << 20, 1 << 30, -40) ==
        multiply_by_quantized_multiplier(1 << 20, 1 << 30, -31));  // shifts clamp to [-31, 30]
  CHECK(multiply_by_quantized_multiplier(1, 1 << 30, 45) ==
        multiply_by_quantized_multiplier(1, 1 << 30, 30));
  // requantize: wrapping sums, clamp
  CHECK(requantize(100, 28, 1 << 30, 0, 3, -128, 127) == 67);
  CHECK(requantize(kMax32, 1, 1 << 30, 0, 0, -128, 127) == -128);  // acc + bias wraps
  CHECK(requantize(kMin32, 0, kMin32, 0, 1, -128, 127) == -128);   // zp_out + INT32_MAX wraps
  CHECK(requantize(1000, 0, 1 << 30, 0, -10, -10, 127) == 127);
  CHECK(requantize(-1000, 0, 1 << 30, 0, -10, -10, 127) == -10);  // ReLU
  CHECK(requantize(50, 0, 1 << 30, 0, 0, 0, 6) == 6);             // ReLU6-like
  CHECK(requantize(50, 0, 1 << 30, 0, 0, 10, 5) == 5);            // lo > hi: hi
  // Cross-check against exact rational rounding on random values (shift <= 0, no saturation)
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const std::int32_t x = any32(rng);
    const std::int32_t m = uniform(rng, 1 << 30, kMax32);
    const int right = uniform(rng, 0, 31);
    // SRDHM without overflow is round half up: floor((x*m + 2^30) / 2^31)
    const __int128 p = static_cast<__int128>(x) * m;
    const auto want_srdhm = static_cast<std::int32_t>((p + (__int128{1} << 30)) >> 31);
    const std::int32_t srdhm = saturating_rounding_doubling_high_mul(x, m);
    CHECK(srdhm == want_srdhm);
    // RDBPOT is round half away from zero
    const std::int64_t floor_v = static_cast<std::int64_t>(srdhm) >> right;
    const std::int64_t unit = std::int64_t{1} << right;
    const std::int64_t twice_rem = 2 * (static_cast<std::int64_t>(srdhm) - floor_v * unit);  // no << of a negative (UB)
    const std::int64_t want =
        floor_v + ((twice_rem > unit || (twice_rem == unit && srdhm > 0)) ? 1 : 0);
    CHECK(rounding_divide_by_pot(srdhm, right) == want);
  }
}

// --- REQUANT ----------------------------------------------------------------------------------

TEST_CASE("t_vector_unit: REQUANT random", "[vector][rtl]") {
  for_each_model(11, [](auto& h) {
    auto& rng = h.rng();
    for (int iter = 0; iter < 40; ++iter) {
      fill_obuf(h);
      fill_param(h, -31, 30, 1 << 20);
      Insn in;
      VSet vs;
      in.vop = kRequant;
      in.count = uniform(rng, 1, 9);
      in.src = with_junk(rng, static_cast<std::uint32_t>(uniform(rng, 0, 127)), h.config().obuf_aw);
      vs.param_base = static_cast<std::uint32_t>(uniform(rng, 0, 0xffff));
      random_output(rng, vs);
      // VSET fields REQUANT does not use: junk
      vs.zp_a = random_zp(rng);
      vs.m_a = uniform(rng, -32768, 32767);
      run_checked(h, in, vs);
    }
  });
}

TEST_CASE("t_vector_unit: REQUANT edge cases", "[vector][rtl]") {
  // Every (parameter, value) pair meets on some element: saturation of the doubling high
  // multiply, saturating left shifts, negative rounding ties, wrapping acc + bias, shift clamp.
  const ParamEntry params[] = {
      {0, kMin32, 0},       {0, kMin32, -31},    {0, 1 << 30, 0},   {0, 1 << 30, -1},
      {0, 1 << 30, -2},     {0, kMax32, 30},     {0, kMax32, 1},    {kMax32, 1 << 30, -3},
      {kMin32, 1 << 30, 0}, {0, 1 << 30, 31},    {0, 1 << 30, -32}, {-4, 1 << 30, 100},
      {0, -(1 << 30), -1},  {6, 1518500250, -8}, {-128, 0, 0},      {0, 4, 30},
      {0, 4, 31},           {0, 4, 100},         {0, kMax32, -31},  {0, kMax32, -40},
  };
  const std::int32_t values[] = {kMin32, kMax32, -3, -6,   -5,      3,         6,
                                 0,      -1,     1,  -129, 1 << 24, -(1 << 24)};
  constexpr int kParams = sizeof(params) / sizeof(params[0]);
  constexpr int kValues = sizeof(values) / sizeof(values[0]);
  for_each_model(12, [&](auto& h) {
    for (int zp_out : {-128, 0, 127}) {
      for (int rot = 0; rot < kParams; ++rot) {
        Insn in;
        VSet vs;
        in.vop = kRequant;
        in.count = kValues;
        in.src = 5;
        vs.param_base = static_cast<std::uint32_t>(rot * 3);
        vs.zp_out = zp_out;
        vs.clamp_lo = rot % 3 == 0 ? zp_out : -128;  // ReLU on some
        vs.clamp_hi = 127;
        const int pdepth = 1 << h.config().param_aw;
        for (int e = 0; e < h.config().obuf_elems; ++e) {
          h.mem.param[(vs.param_base + e) % pdepth] = params[(e + rot) % kParams];
        }
        for (int n = 0; n < kValues; ++n) {
          for (int e = 0; e < h.config().obuf_elems; ++e)
            h.mem.obuf[in.src + n][e] = values[(n + e) % kValues];
        }
        run_checked(h, in, vs);
      }
    }
  });
}

TEST_CASE("t_vector_unit: REQUANT long run wrapping over the OBUF depth", "[vector][rtl]") {
  for_each_model(13, [](auto& h) {
    fill_obuf(h);
    fill_param(h, -12, 2, 1000);
    Insn in;
    VSet vs;
    in.vop = kRequant;
    in.count = (1 << h.config().obuf_aw) + 37;  // words requantized twice (in place)
    in.src = 0xfffff0;
    vs.param_base = 0xfffe;
    run_checked(h, in, vs);
  });
}

// --- DWCONV, pools ----------------------------------------------------------------------------

TEST_CASE("t_vector_unit: DWCONV random multi-tap", "[vector][rtl]") {
  random_windows(21, kDwconv, -14, -4, 1 << 16);
}

TEST_CASE("t_vector_unit: DWCONV 3x3 and the largest window", "[vector][rtl]") {
  for_each_model(22, [](auto& h) {
    auto& rng = h.rng();
    fill_ibuf(h);
    fill_param(h, -16, -6, 1 << 16);
    Insn in;
    VSet vs;
    random_window(h, kDwconv, 3, in, vs);
    in.kh = in.kw = 3;
    in.count = 4;
    in.src = 0;
    in.row_pitch = 20;
    vs.col_step = 1;
    in.stride = 2;
    vs.zp_a = -128;
    run_checked(h, in, vs);
    vs.zp_a = 127;
    run_checked(h, in, vs);
    in.kh = in.kw = 15;  // 225 taps
    in.count = 2;
    in.row_pitch = 15;
    in.src2 = 512;
    in.dst = 1000;
    vs.col_step = 1;
    in.stride = 1;
    vs.zp_a = uniform(rng, -128, 127);
    run_checked(h, in, vs);
  });
}

TEST_CASE("t_vector_unit: DWCONV sliding window, long rows", "[vector][rtl]") {
  // Rows of up to 40 outputs, every stride and kernel up to the variant's DW_KERNEL (and one
  // beyond it, which runs sequentially): slot reuse around the ring, back-to-back outputs.
  for_each_model(23, [](auto& h) {
    if (h.config().ibuf_aw < 10) return;  // IBUF too small for these layouts
    auto& rng = h.rng();
    const int k_max = std::max(1, h.config().dw_kernel) + 1;
    for (int iter = 0; iter < 24; ++iter) {
      fill_ibuf(h);
      fill_param(h, -16, -6, 1 << 16);
      Insn in;
      VSet vs;
      random_window(h, kDwconv, 3, in, vs);
      in.kh = uniform(rng, 1, k_max);
      in.kw = uniform(rng, 1, k_max);
      in.stride = uniform(rng, 1, 3);
      in.count = uniform(rng, 1, 40);
      vs.col_step = static_cast<std::uint32_t>(uniform(rng, 1, 2));
      in.src = 0;
      auto pitch = [&] { return ((in.count - 1) * in.stride + in.kw) * int(vs.col_step); };
      while (in.count > 1 && in.kh * pitch() > 512) --in.count;  // inputs below the weights
      in.row_pitch = static_cast<std::uint32_t>(pitch());
      in.src2 = 600;
      in.dst = 700;
      run_checked(h, in, vs);
    }
  });
}

TEST_CASE("t_vector_unit: MAXPOOL random", "[vector][rtl]") {
  random_windows(31, kMaxpool, -31, 30, 1000);  // parameters unused by MAXPOOL
}

TEST_CASE("t_vector_unit: AVGPOOL random", "[vector][rtl]") {
  random_windows(41, kAvgpool, -6, 0, 300);
}

TEST_CASE("t_vector_unit: zero taps", "[vector][rtl]") {
  for_each_model(42, [](auto& h) {
    auto& rng = h.rng();
    fill_ibuf(h);
    fill_param(h, -6, 0, 300);
    for (int vop : {kDwconv, kMaxpool, kAvgpool}) {
      Insn in;
      VSet vs;
      random_window(h, vop, 2, in, vs);
      if (uniform(rng, 0, 1))
        in.kh = 0;
      else
        in.kw = 0;
      in.count = 3;
      run_checked(h, in, vs);
    }
  });
}

// --- ADD --------------------------------------------------------------------------------------

TEST_CASE("t_vector_unit: ADD random, negative multipliers, in place", "[vector][rtl]") {
  for_each_model(51, [](auto& h) {
    for (int iter = 0; iter < 40; ++iter) {
      fill_ibuf(h);
      fill_param(h, -24, -8, 1 << 12);
      Insn in;
      VSet vs;
      random_add(h, iter % 3 == 0, in, vs);  // every third one in place (residual add)
      run_checked(h, in, vs);
    }
  });
}

// --- control ----------------------------------------------------------------------------------

TEST_CASE("t_vector_unit: count 0 and undefined vops do nothing", "[vector][rtl]") {
  for_each_model(61, [](auto& h) {
    fill_ibuf(h);
    fill_obuf(h);
    fill_param(h, -10, 0, 100);
    for (int vop : {kRequant, kDwconv, kMaxpool, kAvgpool, kAdd, kVopCount, 7, 15}) {
      Insn in;
      VSet vs;
      in.vop = vop;
      in.count = valid_vop(vop) ? 0 : 3;
      in.kh = in.kw = 2;
      in.dst = 700;
      run_checked(h, in, vs);  // checks: no busy cycle, no access, memories unchanged
    }
  });
}

TEST_CASE("t_vector_unit: back-to-back mixed instructions", "[vector][rtl]") {
  for_each_model(71, [](auto& h) {
    auto& rng = h.rng();
    fill_ibuf(h);
    fill_obuf(h);
    fill_param(h, -12, 0, 1 << 14);
    for (int iter = 0; iter < 100; ++iter) {
      Insn in;
      VSet vs;
      const int vop = uniform(rng, 0, kVopCount - 1);
      if (vop == kRequant) {
        in.vop = kRequant;
        in.count = uniform(rng, 1, 5);
        in.src = static_cast<std::uint32_t>(uniform(rng, 0, 100));
        random_output(rng, vs);
      } else if (vop == kAdd) {
        random_add(h, false, in, vs);
      } else {
        random_window(h, vop, 3, in, vs);
      }
      vs.param_base = static_cast<std::uint32_t>(uniform(rng, 0, 0xffff));
      run_checked(h, in, vs);
    }
  });
}

TEST_CASE("t_vector_unit: synchronous reset aborts an instruction", "[vector][rtl]") {
  for_each_model(81, [](auto& h) {
    auto& rng = h.rng();
    fill_ibuf(h);
    fill_obuf(h);
    fill_param(h, -12, 0, 1 << 14);
    for (int vop = 0; vop < kVopCount; ++vop) {
      Insn in;
      VSet vs;
      if (vop == kRequant || vop == kAdd) {
        in.vop = vop;
        in.count = 4;
        in.dst = 900;
      } else {
        random_window(h, vop, 3, in, vs);
      }
      const RunResult r = h.reset_after(in, vs, uniform(rng, 0, 12));
      for (const auto& v : r.violations) FAIL_CHECK(v);
      CHECK(r.accesses.ibuf_reads + r.accesses.ibuf_writes + r.accesses.obuf_reads +
                r.accesses.obuf_writes + r.accesses.param_reads ==
            0);
      // and the next instruction runs normally
      Insn next;
      VSet vs_next;
      random_window(h, kDwconv, 3, next, vs_next);
      run_checked(h, next, vs_next);
    }
  });
}

TEST_CASE("t_vector_unit: cycle formula examples", "[vector]") {
  // The formula the analytic model reproduces (rtl_templates/tandem_vector_unit.v header), pinned.
  Insn in;
  in.count = 10;
  in.kh = in.kw = 3;
  in.vop = kDwconv;
  in.stride = 0;  // not a sliding window: the sequential schedule
  CHECK(expected_busy_cycles(kB, in) == 17 + 10 * (9 * 4 + 2 + 6));  // 6: kB's requantizer latency
  in.stride = 1;  // kB slides: PARAM (16) and 9 weights overlap, 3 rows x 12 columns, drain
  CHECK(expected_busy_cycles(kB, in) == 17 + 3 * 12 + 1 + 4 + 6);
  CHECK(expected_accesses(kB, in).ibuf_reads == 9 + 3 * 12);
  in.stride = 2;
  CHECK(expected_busy_cycles(kB, in) == 17 + 3 * 21 + 1 + 4 + 6);
  in.stride = 1;  // kA: 4 beats per word, more than kh * stride = 3: sequential
  CHECK(expected_busy_cycles(kA, in) == 5 + 10 * (9 * 7 + 5 + 5));
  in.stride = 2;  // kh * stride = 6 >= 4 beats: slides, 4 requant beats
  CHECK(expected_busy_cycles(kA, in) == 10 + 3 * 21 + 4 + 4 + 5);
  in.stride = 1;
  in.vop = kMaxpool;
  CHECK(expected_busy_cycles(kC, in) == 10 * (9 * 3 + 2 + 5));
  in.vop = kRequant;
  CHECK(expected_busy_cycles(kD, in) == 6 + 10 * (2 + 3 + 7));  // kD: latency 7
  in.vop = kAdd;
  CHECK(expected_busy_cycles(kE, in) == 4 + 2 * 10 + 3 + 8);  // one beat per word: streams; kE: latency 8
  CHECK(expected_busy_cycles(kD, in) == 13 + 10 * (3 + 4 + 7));  // 3 beats: sequential
  CHECK(expected_lane_ops(kE, in) == 10 * 3);
  in.vop = kAvgpool;
  CHECK(expected_lane_ops(kE, in) == 10 * 3 * 10);
}
