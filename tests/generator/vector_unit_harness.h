// Block-test harness of tandem_vector_unit (rtl_templates/tandem_vector_unit.v): behavioural IBUF,
// OBUF and PARAM memories with the 1-cycle registered read, a reference model of the VECTOR
// instruction written from docs/isa.md, and the documented cycle / activity formulas.
#pragma once

#include <verilated.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "core/isa.h"
#include "core/quant_math.h"

namespace vtest {

// VECTOR vop codes (core/isa.h), as the ints the harness drives onto the vop port; codes from
// kVopCount up do nothing.
constexpr int vop_code(tandem::isa::VectorOp op) { return static_cast<int>(op); }
constexpr int kRequant = vop_code(tandem::isa::VectorOp::requant);
constexpr int kDwconv = vop_code(tandem::isa::VectorOp::dwconv);
constexpr int kMaxpool = vop_code(tandem::isa::VectorOp::maxpool);
constexpr int kAvgpool = vop_code(tandem::isa::VectorOp::avgpool);
constexpr int kAdd = vop_code(tandem::isa::VectorOp::add);
constexpr int kVopCount = tandem::isa::vector_op_count;
inline bool valid_vop(int vop) { return vop >= 0 && vop < kVopCount; }

// One verilated parameter set (the module's parameters, tests/generator/CMakeLists.txt).
struct Config {
  const char* name;
  int ibuf_elems, obuf_elems, lanes;
  int ibuf_aw, obuf_aw, param_aw;
  int dw_kernel;  // DW_KERNEL: largest kernel of the sliding-window DWCONV (0: none)
  int requant_latency;  // REQUANT_LATENCY: the lanes' requantizer pipeline stages
};

struct Insn {  // VECTOR fields
  int vop = kRequant;
  std::uint32_t src = 0, src2 = 0, dst = 0;  // 24 bits
  int count = 0, kh = 1, kw = 1;
  std::uint32_t row_pitch = 0;  // 20 bits
  int stride = 1;               // DWCONV: columns between output windows (4 bits)
};

struct VSet {
  int zp_a = 0, zp_b = 0, zp_out = 0, clamp_lo = -128, clamp_hi = 127;  // int8
  int m_a = 0, m_b = 0;                                                 // int16
  std::uint32_t col_step = 1, param_base = 0, out_step = 1;             // 16 bits
};

struct ParamEntry {
  std::int32_t bias = 0, multiplier = 0, shift = 0;
};

struct Memories {
  std::vector<std::vector<std::int8_t>> ibuf;   // [word][ibuf_elems]
  std::vector<std::vector<std::int32_t>> obuf;  // [word][obuf_elems]
  std::vector<ParamEntry> param;
};

// ---------------------------------------------------------------------------------------------
// The documented schedule (rtl_templates/tandem_vector_unit.v header): busy cycles of one instruction.
inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

inline int word_elems(const Config& cfg, int vop) {
  return vop == kRequant ? cfg.obuf_elems : cfg.ibuf_elems;
}

// A DWCONV that runs on the sliding-window datapath (the module's header).
inline bool slides(const Config& cfg, const Insn& in) {
  return cfg.dw_kernel > 0 && in.vop == kDwconv && in.count > 0 && in.kh >= 1 && in.kw >= 1 &&
         in.kh <= cfg.dw_kernel && in.kw <= cfg.dw_kernel && in.stride >= 1 &&
         ceil_div(cfg.ibuf_elems, cfg.lanes) <= in.kh * in.stride;
}

// Columns a sliding DWCONV sweeps: (count - 1) * stride + kw.
inline std::int64_t swept_columns(const Insn& in) {
  return static_cast<std::int64_t>(in.count - 1) * in.stride + in.kw;
}

inline std::int64_t expected_busy_cycles(const Config& cfg, const Insn& in) {
  if (in.count == 0 || !valid_vop(in.vop)) return 0;
  const std::int64_t w = word_elems(cfg, in.vop);
  const std::int64_t b = ceil_div(w, cfg.lanes);
  const std::int64_t t = static_cast<std::int64_t>(in.kh) * in.kw;
  const std::int64_t n = in.count;
  const std::int64_t rq = cfg.requant_latency;  // the lanes' requantizer pipeline
  if (slides(cfg, in)) return std::max(w, t) + 1 + in.kh * swept_columns(in) + b + 4 + rq;
  switch (in.vop) {
    case kRequant:
      return (w + 1) + n * (b + 3 + rq);
    case kAdd:  // streaming when a word is one beat
      return b == 1 ? (w + 1) + 2 * n + 3 + rq : (w + 1) + n * (b + 4 + rq);
    case kDwconv:
      return (w + 1) + n * (t * (b + 3) + b + 1 + rq);
    case kAvgpool:
      return (w + 1) + n * (t * (b + 2) + b + 1 + rq);
    default:
      return n * (t * (b + 2) + b + 1 + rq);  // kMaxpool: no PARAM load
  }
}

// Documented lane_ops total: every compute beat and every requant beat counts its valid elements.
inline std::int64_t expected_lane_ops(const Config& cfg, const Insn& in) {
  if (in.count == 0 || !valid_vop(in.vop)) return 0;
  const std::int64_t w = word_elems(cfg, in.vop);
  const std::int64_t taps =
      (in.vop == kRequant || in.vop == kAdd) ? 0 : static_cast<std::int64_t>(in.kh) * in.kw;
  return in.count * w * (taps + 1);
}

struct Accesses {  // word reads / writes of one instruction
  std::int64_t ibuf_reads = 0, ibuf_writes = 0, obuf_reads = 0, obuf_writes = 0, param_reads = 0;
};

inline Accesses expected_accesses(const Config& cfg, const Insn& in) {
  Accesses a;
  if (in.count == 0 || !valid_vop(in.vop)) return a;
  const std::int64_t t = static_cast<std::int64_t>(in.kh) * in.kw;
  a.param_reads = in.vop == kMaxpool ? 0 : word_elems(cfg, in.vop);
  switch (in.vop) {
    case kRequant:
      a.obuf_reads = a.obuf_writes = in.count;
      break;
    case kAdd:
      a.ibuf_reads = 2 * in.count;
      a.ibuf_writes = in.count;
      break;
    case kDwconv:
      a.ibuf_reads = slides(cfg, in) ? t + in.kh * swept_columns(in) : 2 * t * in.count;
      a.ibuf_writes = in.count;
      break;
    default:
      a.ibuf_reads = t * in.count;
      a.ibuf_writes = in.count;
      break;
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// Reference of one VECTOR instruction, straight from docs/isa.md: words n = 0 .. count-1 in
// order, each written before the next is computed; addresses are taken modulo the depth.
inline void reference(const Config& cfg, const Insn& in, const VSet& vs, Memories& mem) {
  if (!valid_vop(in.vop)) return;
  const std::uint64_t imask = (std::uint64_t{1} << cfg.ibuf_aw) - 1;
  const std::uint64_t omask = (std::uint64_t{1} << cfg.obuf_aw) - 1;
  const std::uint64_t pmask = (std::uint64_t{1} << cfg.param_aw) - 1;
  const int w = word_elems(cfg, in.vop);
  auto rq = [&](std::int32_t acc, int e) {
    const ParamEntry& p = mem.param[(vs.param_base + e) & pmask];
    return tandem::requantize(acc, p.bias, p.multiplier, p.shift, vs.zp_out, vs.clamp_lo,
                              vs.clamp_hi);
  };
  for (std::uint64_t n = 0; n < static_cast<std::uint64_t>(in.count); ++n) {
    if (in.vop == kRequant) {
      auto& word = mem.obuf[(in.src + n) & omask];
      for (int e = 0; e < w; ++e) word[e] = rq(word[e], e);
      continue;
    }
    std::vector<std::int8_t> out(cfg.ibuf_elems);
    const std::uint64_t step =
        in.vop == kDwconv ? std::uint64_t(in.stride) * vs.col_step : std::uint64_t(vs.out_step);
    const std::uint64_t base = in.src + n * step;
    for (int e = 0; e < w; ++e) {
      std::int32_t acc = 0;
      std::int32_t mx = -128;  // max over no taps: the int8 minimum
      if (in.vop == kAdd) {
        const int a = mem.ibuf[(in.src + n) & imask][e];
        const int b = mem.ibuf[(in.src2 + n) & imask][e];
        acc = (a - vs.zp_a) * vs.m_a + (b - vs.zp_b) * vs.m_b;
      } else {
        for (int i = 0; i < in.kh; ++i) {
          for (int j = 0; j < in.kw; ++j) {
            const int x =
                mem.ibuf[(base + std::uint64_t(i) * in.row_pitch + std::uint64_t(j) * vs.col_step) &
                         imask][e];
            if (in.vop == kDwconv) {
              acc += (x - vs.zp_a) * mem.ibuf[(in.src2 + std::uint64_t(i) * in.kw + j) & imask][e];
            } else if (in.vop == kAvgpool) {
              acc += x - vs.zp_a;
            } else {
              mx = std::max(mx, x);
            }
          }
        }
      }
      if (in.vop == kMaxpool) {
        out[e] = static_cast<std::int8_t>(std::min(std::max(mx, vs.clamp_lo), vs.clamp_hi));
      } else {
        out[e] = rq(acc, e);
      }
    }
    mem.ibuf[(in.dst + n) & imask] = out;
  }
}

// ---------------------------------------------------------------------------------------------
// Port access for Verilator's integral (<= 64 bits) and wide (VlWide) signals, as 32-bit chunks.
template <typename T>
std::enable_if_t<std::is_integral<T>::value> put_chunks(T& port,
                                                        const std::vector<std::uint32_t>& c) {
  std::uint64_t v = c.empty() ? 0 : c[0];
  if (c.size() > 1) v |= static_cast<std::uint64_t>(c[1]) << 32;
  port = static_cast<T>(v);
}
template <std::size_t N>
void put_chunks(VlWide<N>& port, const std::vector<std::uint32_t>& c) {
  for (std::size_t i = 0; i < N; ++i) port[i] = i < c.size() ? c[i] : 0;
}
template <typename T>
std::enable_if_t<std::is_integral<T>::value, std::vector<std::uint32_t>> get_chunks(const T& port) {
  const auto v = static_cast<std::uint64_t>(port);
  return {static_cast<std::uint32_t>(v), static_cast<std::uint32_t>(v >> 32)};
}
template <std::size_t N>
std::vector<std::uint32_t> get_chunks(const VlWide<N>& port) {
  std::vector<std::uint32_t> c(N);
  for (std::size_t i = 0; i < N; ++i) c[i] = port[i];
  return c;
}

inline std::vector<std::uint32_t> pack_bytes(const std::vector<std::int8_t>& bytes) {
  std::vector<std::uint32_t> c((bytes.size() + 3) / 4, 0);
  for (std::size_t e = 0; e < bytes.size(); ++e) {
    c[e / 4] |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[e])) << (8 * (e % 4));
  }
  return c;
}
inline std::vector<std::int8_t> unpack_bytes(const std::vector<std::uint32_t>& c, int n) {
  std::vector<std::int8_t> bytes(n);
  for (int e = 0; e < n; ++e) bytes[e] = static_cast<std::int8_t>(c[e / 4] >> (8 * (e % 4)));
  return bytes;
}
inline std::vector<std::uint32_t> pack_words(const std::vector<std::int32_t>& words) {
  return std::vector<std::uint32_t>(words.begin(), words.end());
}

struct RunResult {
  std::int64_t busy_cycles = 0;
  std::int64_t lane_ops = 0;
  Accesses accesses;
  std::vector<std::string> violations;  // protocol errors (empty when clean)
  bool timed_out = false;
};

// ---------------------------------------------------------------------------------------------
// One Verilated vector unit with behavioural memories.
template <class Model>
class Harness {
 public:
  static constexpr std::int64_t kCycleLimit = 2'000'000;  // a stuck FSM fails, never hangs

  Harness(const Config& cfg, std::uint32_t seed)
      : cfg_(cfg), rng_(seed), context_(std::make_unique<VerilatedContext>()) {
    context_->debug(0);
    top_ = std::make_unique<Model>(context_.get(), cfg.name);
    mem.ibuf.assign(std::size_t{1} << cfg.ibuf_aw, std::vector<std::int8_t>(cfg.ibuf_elems, 0));
    mem.obuf.assign(std::size_t{1} << cfg.obuf_aw, std::vector<std::int32_t>(cfg.obuf_elems, 0));
    mem.param.assign(std::size_t{1} << cfg.param_aw, ParamEntry{});
    top_->clk = 0;
    top_->rst_n = 0;
    top_->start = 0;
    for (int i = 0; i < 3; ++i) cycle(nullptr);
    top_->rst_n = 1;
  }
  ~Harness() { top_->final(); }

  const Config& config() const { return cfg_; }
  std::mt19937& rng() { return rng_; }

  // Runs one instruction: start pulse, then clocks until busy falls (and a few idle cycles).
  RunResult run(const Insn& in, const VSet& vs) {
    RunResult result;
    set_vset(vs);
    set_insn(in);
    top_->start = 1;
    top_->clk = 0;
    top_->eval();
    if (top_->busy) result.violations.push_back("busy in the start cycle");
    cycle(&result);  // the start cycle: the unit is idle
    top_->start = 0;
    scramble_insn();  // fields are valid in the start cycle only
    std::int64_t cycles = 0;
    for (;;) {
      top_->clk = 0;
      top_->eval();
      if (!top_->busy) break;
      if (++cycles > kCycleLimit) {
        result.timed_out = true;
        break;
      }
      cycle(&result);
      ++result.busy_cycles;
    }
    for (int i = 0; i < 3; ++i) {  // idle afterwards: busy low, no access
      cycle(&result);
      if (top_->busy) result.violations.push_back("busy again after finishing");
    }
    return result;
  }

  // Starts an instruction, clocks `cycles` cycles, then holds reset for one cycle: afterwards
  // the unit must be idle and quiet (the returned violations cover the cycles after reset).
  RunResult reset_after(const Insn& in, const VSet& vs, int cycles) {
    set_vset(vs);
    set_insn(in);
    top_->start = 1;
    cycle(nullptr);
    top_->start = 0;
    scramble_insn();
    for (int i = 0; i < cycles; ++i) cycle(nullptr);
    top_->rst_n = 0;
    cycle(nullptr);
    top_->rst_n = 1;
    RunResult result;
    for (int i = 0; i < 4; ++i) {
      cycle(&result);
      if (top_->busy) result.violations.push_back("busy after reset");
    }
    return result;
  }

  Memories mem;

 private:
  void set_vset(const VSet& vs) {
    top_->zp_a = static_cast<std::uint8_t>(vs.zp_a);
    top_->zp_b = static_cast<std::uint8_t>(vs.zp_b);
    top_->zp_out = static_cast<std::uint8_t>(vs.zp_out);
    top_->clamp_lo = static_cast<std::uint8_t>(vs.clamp_lo);
    top_->clamp_hi = static_cast<std::uint8_t>(vs.clamp_hi);
    top_->m_a = static_cast<std::uint16_t>(vs.m_a);
    top_->m_b = static_cast<std::uint16_t>(vs.m_b);
    top_->col_step = static_cast<std::uint16_t>(vs.col_step);
    top_->param_base = static_cast<std::uint16_t>(vs.param_base);
    top_->out_step = static_cast<std::uint16_t>(vs.out_step);
  }
  void set_insn(const Insn& in) {
    top_->vop = static_cast<std::uint8_t>(in.vop);
    top_->src = in.src & 0xffffff;
    top_->src2 = in.src2 & 0xffffff;
    top_->dst = in.dst & 0xffffff;
    top_->count = static_cast<std::uint16_t>(in.count);
    top_->kh = static_cast<std::uint8_t>(in.kh);
    top_->kw = static_cast<std::uint8_t>(in.kw);
    top_->row_pitch = in.row_pitch & 0xfffff;
    top_->stride = static_cast<std::uint8_t>(in.stride & 15);
  }
  void scramble_insn() {
    Insn junk;
    junk.vop = static_cast<int>(rng_() & 15);
    junk.src = rng_();
    junk.src2 = rng_();
    junk.dst = rng_();
    junk.count = static_cast<int>(rng_() & 0xffff);
    junk.kh = static_cast<int>(rng_() & 15);
    junk.kw = static_cast<int>(rng_() & 15);
    junk.row_pitch = rng_();
    junk.stride = static_cast<int>(rng_() & 15);
    set_insn(junk);
  }
  std::vector<std::uint32_t> junk_chunks(std::size_t n) {
    std::vector<std::uint32_t> c(n);
    for (auto& x : c) x = rng_();
    return c;
  }

  // One clock cycle: evaluate the cycle's outputs, do the memory accesses at the edge, clock.
  void cycle(RunResult* result) {
    top_->clk = 0;
    top_->eval();
    const std::uint64_t imask = (std::uint64_t{1} << cfg_.ibuf_aw) - 1;
    const std::uint64_t omask = (std::uint64_t{1} << cfg_.obuf_aw) - 1;
    const std::uint64_t pmask = (std::uint64_t{1} << cfg_.param_aw) - 1;
    if (result) {
      const bool any = top_->ibuf_re || top_->ibuf_we || top_->obuf_re || top_->obuf_we ||
                       top_->param_re || top_->lane_ops != 0;
      if (!top_->busy && any) result->violations.push_back("access or lane_ops while idle");
      if (top_->lane_ops > cfg_.lanes + cfg_.dw_kernel * cfg_.ibuf_elems)
        result->violations.push_back("lane_ops > LANES + DW_KERNEL * IBUF_ELEMS");
      result->lane_ops += top_->lane_ops;
      result->accesses.ibuf_reads += top_->ibuf_re;
      result->accesses.ibuf_writes += top_->ibuf_we;
      result->accesses.obuf_reads += top_->obuf_re;
      result->accesses.obuf_writes += top_->obuf_we;
      result->accesses.param_reads += top_->param_re;
    }
    // Registered reads: data for this cycle's request arrives in the next cycle only; other
    // cycles see junk, so the unit must capture read data when it arrives.
    std::vector<std::uint32_t> ibuf_next, obuf_next, param_next;
    if (top_->ibuf_re)
      ibuf_next = pack_bytes(mem.ibuf[top_->ibuf_raddr & imask]);
    else
      ibuf_next = junk_chunks((cfg_.ibuf_elems + 3) / 4);
    if (top_->obuf_re)
      obuf_next = pack_words(mem.obuf[top_->obuf_raddr & omask]);
    else
      obuf_next = junk_chunks(cfg_.obuf_elems);
    if (top_->param_re) {
      const ParamEntry& p = mem.param[top_->param_raddr & pmask];
      param_next = {static_cast<std::uint32_t>(p.bias), static_cast<std::uint32_t>(p.multiplier),
                    static_cast<std::uint32_t>(p.shift)};
    } else {
      param_next = junk_chunks(3);
    }
    if (top_->ibuf_we) {
      mem.ibuf[top_->ibuf_waddr & imask] = unpack_bytes(get_chunks(top_->ibuf_wdata), cfg_.ibuf_elems);
    }
    if (top_->obuf_we) {
      auto c = get_chunks(top_->obuf_wdata);
      auto& word = mem.obuf[top_->obuf_waddr & omask];
      for (int e = 0; e < cfg_.obuf_elems; ++e) word[e] = static_cast<std::int32_t>(c[e]);
    }
    top_->clk = 1;
    top_->eval();
    put_chunks(top_->ibuf_rdata, ibuf_next);
    put_chunks(top_->obuf_rdata, obuf_next);
    put_chunks(top_->param_rdata, param_next);
  }

  Config cfg_;
  std::mt19937 rng_;
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Model> top_;
};

// ---------------------------------------------------------------------------------------------
// Differences between two memory states, described (empty when equal).
inline std::string diff(const Config& cfg, const Memories& want, const Memories& got) {
  std::ostringstream out;
  int shown = 0;
  for (std::size_t a = 0; a < want.ibuf.size(); ++a) {
    for (int e = 0; e < cfg.ibuf_elems; ++e) {
      if (want.ibuf[a][e] != got.ibuf[a][e] && shown++ < 8) {
        out << "IBUF[" << a << "][" << e << "] want " << int(want.ibuf[a][e]) << " got "
            << int(got.ibuf[a][e]) << "\n";
      }
    }
  }
  for (std::size_t a = 0; a < want.obuf.size(); ++a) {
    for (int e = 0; e < cfg.obuf_elems; ++e) {
      if (want.obuf[a][e] != got.obuf[a][e] && shown++ < 16) {
        out << "OBUF[" << a << "][" << e << "] want " << want.obuf[a][e] << " got "
            << got.obuf[a][e] << "\n";
      }
    }
  }
  return out.str();
}

}  // namespace vtest
