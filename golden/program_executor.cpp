#include "golden/golden.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/accelerator_geometry.h"
#include "core/quant_math.h"

namespace tandem {

namespace {

namespace f = isa::field;

// One scratchpad as bytes: `depth` words of `word_bytes`.
struct Scratchpad {
  int word_bytes = 0;
  int depth = 0;
  std::vector<std::uint8_t> bytes;

  Scratchpad(const BufferGeometry& g)
      : word_bytes(g.word_bytes), depth(g.depth),
        bytes(static_cast<std::size_t>(g.word_bytes) * static_cast<std::size_t>(g.depth), 0) {}

  std::uint8_t* word(std::int64_t address, const char* name) {
    if (address < 0 || address >= depth) {
      throw std::out_of_range(std::string(name) + " word " + std::to_string(address) + " beyond depth " +
                              std::to_string(depth));
    }
    return &bytes[static_cast<std::size_t>(address) * static_cast<std::size_t>(word_bytes)];
  }
  std::int8_t int8(std::int64_t address, int element, const char* name) {
    return static_cast<std::int8_t>(word(address, name)[element]);
  }
  std::int32_t int32(std::int64_t address, int element, const char* name) {
    const std::uint8_t* p = word(address, name) + 4 * element;
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
                                     static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24);
  }
  void set_int32(std::int64_t address, int element, std::int32_t value, const char* name) {
    std::uint8_t* p = word(address, name) + 4 * element;
    for (int b = 0; b < 4; ++b) p[b] = static_cast<std::uint8_t>(static_cast<std::uint32_t>(value) >> (8 * b));
  }
};

class Executor {
 public:
  explicit Executor(const Program& program)
      : program_(program), geometry_(accelerator_geometry(program.config)),
        rows_(program.config.array.rows), cols_(program.config.array.cols),
        ibuf_(geometry_.ibuf), wbuf_(geometry_.wbuf), obuf_(geometry_.obuf), param_(geometry_.param),
        weights_(static_cast<std::size_t>(rows_ * cols_), 0), dram_(program.dram_bytes, 0) {
    for (const auto& segment : program.memory) {
      check_dram(segment.address, segment.bytes.size());
      std::copy(segment.bytes.begin(), segment.bytes.end(), dram_.begin() + segment.address);
    }
  }

  FunctionalResult run() {
    for (std::size_t i = 0; i < program_.instructions.size(); ++i) {
      try {
        execute(program_.instructions[i]);
      } catch (const std::exception& e) {
        throw std::runtime_error(program_.name + ": instruction " + std::to_string(i) + " (" +
                                 program_.instructions[i].hex() + "): " + e.what());
      }
    }
    FunctionalResult result;
    for (const auto& region : program_.outputs) {
      check_dram(region.address, region.bytes);
      result.outputs.emplace_back(dram_.begin() + region.address, dram_.begin() + region.address + region.bytes);
    }
    return result;
  }

 private:
  void check_dram(std::uint64_t address, std::uint64_t bytes) const {
    if (address + bytes > dram_.size()) {
      throw std::out_of_range("DRAM bytes [" + std::to_string(address) + ", " + std::to_string(address + bytes) +
                              ") beyond " + std::to_string(dram_.size()));
    }
  }

  Scratchpad& buffer(std::int64_t id) {
    switch (static_cast<isa::Buffer>(id)) {
      case isa::Buffer::ibuf: return ibuf_;
      case isa::Buffer::wbuf: return wbuf_;
      case isa::Buffer::obuf: return obuf_;
      default: return param_;  // PARAM, and the reserved ids 4..7 (docs/isa.md)
    }
  }

  void execute(const isa::Instruction& insn) {
    switch (insn.opcode()) {
      case isa::Opcode::load:
      case isa::Opcode::store: transfer(insn); break;
      case isa::Opcode::loadw:
        if (program_.config.array.dataflow == Dataflow::weight_stationary) {
          for (int i = 0; i < rows_; ++i) {
            for (int j = 0; j < cols_; ++j) {
              weights_[static_cast<std::size_t>(i * cols_ + j)] = wbuf_.int8(insn.get(f::w_addr) + i, j, "WBUF");
            }
          }
        }
        break;
      case isa::Opcode::matmul: matmul(insn); break;
      case isa::Opcode::vset: vset_ = insn; break;
      case isa::Opcode::vector: vector(insn); break;
      default: break;  // NOP, SYNC: no data effect
    }
  }

  void transfer(const isa::Instruction& insn) {
    const bool store = insn.opcode() == isa::Opcode::store;
    Scratchpad& sp = buffer(insn.get(f::buf));
    const bool narrow = store && insn.get(f::narrow) && insn.get(f::buf) == static_cast<std::int64_t>(isa::Buffer::obuf);
    const int bytes = narrow ? cols_ : sp.word_bytes;
    const std::int64_t rows = insn.get(f::rows), row_words = insn.get(f::row_words);
    for (std::int64_t r = 0; r < rows; ++r) {
      for (std::int64_t w = 0; w < row_words; ++w) {
        const std::uint64_t dram = static_cast<std::uint64_t>(insn.get(f::dram_addr)) +
                                   static_cast<std::uint64_t>(r * insn.get(f::dram_pitch) + w * bytes);
        check_dram(dram, static_cast<std::uint64_t>(bytes));
        std::uint8_t* word = sp.word(insn.get(f::sp_addr) + r * row_words + w, "scratchpad");
        for (int b = 0; b < bytes; ++b) {
          std::uint8_t& cell = dram_[dram + static_cast<std::uint64_t>(b)];
          if (!store) word[b] = cell;
          else cell = narrow ? word[4 * b] : word[b];
        }
      }
    }
  }

  void matmul(const isa::Instruction& insn) {
    const std::int64_t a = insn.get(f::a_addr), stride = insn.get(f::a_stride), len = insn.get(f::len);
    const std::int64_t c = insn.get(f::c_addr);
    const bool acc = insn.get(f::acc) != 0;
    // The requant bit means something only with the pipelined requantizer (docs/isa.md).
    const bool requant_out = insn.get(f::requant) != 0 && program_.config.array.requantizer == OutputRequantizer::pipelined;
    auto write = [&](std::int64_t row, int j, std::uint32_t sum) {
      const std::uint32_t old = acc ? static_cast<std::uint32_t>(obuf_.int32(row, j, "OBUF")) : 0;
      const auto value = static_cast<std::int32_t>(old + sum);
      obuf_.set_int32(row, j, requant_out ? requant(value, j) : value, "OBUF");
    };
    if (program_.config.array.dataflow == Dataflow::weight_stationary) {
      for (std::int64_t m = 0; m < len; ++m) {
        for (int j = 0; j < cols_; ++j) {
          std::uint32_t sum = 0;
          for (int i = 0; i < rows_; ++i) {
            sum += static_cast<std::uint32_t>(ibuf_.int8(a + m * stride, i, "IBUF") *
                                              weights_[static_cast<std::size_t>(i * cols_ + j)]);
          }
          write(c + m, j, sum);
        }
      }
    } else {
      const std::int64_t b = insn.get(f::b_addr);
      for (int i = 0; i < rows_; ++i) {
        for (int j = 0; j < cols_; ++j) {
          std::uint32_t sum = 0;
          for (std::int64_t k = 0; k < len; ++k) {
            sum += static_cast<std::uint32_t>(ibuf_.int8(a + k * stride, i, "IBUF") * wbuf_.int8(b + k, j, "WBUF"));
          }
          write(c + i, j, sum);
        }
      }
    }
  }

  std::int8_t requant(std::int32_t acc, int element) {
    const std::int64_t entry = vset_.get(f::param_base) + element;
    return requantize(acc, param_.int32(entry, 0, "PARAM"), param_.int32(entry, 1, "PARAM"),
                      param_.int32(entry, 2, "PARAM"), static_cast<std::int32_t>(vset_.get(f::zp_out)),
                      static_cast<std::int32_t>(vset_.get(f::clamp_lo)),
                      static_cast<std::int32_t>(vset_.get(f::clamp_hi)));
  }

  void vector(const isa::Instruction& insn) {
    const auto op = static_cast<isa::VectorOp>(insn.get(f::vop));
    const std::int64_t src = insn.get(f::src), src2 = insn.get(f::src2), dst = insn.get(f::dst);
    const std::int64_t count = insn.get(f::count), row_pitch = insn.get(f::row_pitch);
    const int kh = static_cast<int>(insn.get(f::kh)), kw = static_cast<int>(insn.get(f::kw));
    const std::int64_t stride = insn.get(f::stride);
    const std::int32_t zp_a = static_cast<std::int32_t>(vset_.get(f::zp_a));
    const std::int32_t zp_b = static_cast<std::int32_t>(vset_.get(f::zp_b));
    const std::int64_t col_step = vset_.get(f::col_step), out_step = vset_.get(f::out_step);
    if (op == isa::VectorOp::requant) {
      for (std::int64_t n = 0; n < count; ++n) {
        for (int e = 0; e < cols_; ++e) obuf_.set_int32(src + n, e, requant(obuf_.int32(src + n, e, "OBUF"), e), "OBUF");
      }
      return;
    }
    const bool to_obuf = insn.get(f::to_obuf) != 0;  // no overlap with the IBUF inputs possible
    if (op == isa::VectorOp::dwconv && count > 0 && !to_obuf) {
      // The sliding-window datapath reads later windows before earlier outputs are written.
      const std::int64_t last_read =
          src + (count - 1) * stride * col_step + (kh - 1) * row_pitch + (kw - 1) * col_step;
      const auto overlaps = [&](std::int64_t lo, std::int64_t hi) { return dst <= hi && lo < dst + count; };
      if (overlaps(src, last_read) || overlaps(src2, src2 + kh * kw - 1)) {
        throw std::invalid_argument("DWCONV output words [" + std::to_string(dst) + ", " +
                                    std::to_string(dst + count) + ") overlap its inputs (docs/isa.md)");
      }
    }
    if (op == isa::VectorOp::add && count > 0 && !to_obuf) {
      // The streaming ADD reads up to two words ahead of its writes.
      const auto overlaps = [&](std::int64_t from) { return dst < from + count && from < dst + count; };
      if ((dst != src && overlaps(src)) || (dst != src2 && overlaps(src2))) {
        throw std::invalid_argument("ADD output words [" + std::to_string(dst) + ", " + std::to_string(dst + count) +
                                    ") overlap an operand without being it (docs/isa.md)");
      }
    }
    for (std::int64_t n = 0; n < count; ++n) {
      std::vector<std::uint8_t> out(static_cast<std::size_t>(rows_));
      for (int e = 0; e < rows_; ++e) {
        std::uint32_t acc = 0;
        std::int32_t best = -128;
        if (op == isa::VectorOp::add) {
          acc = static_cast<std::uint32_t>((ibuf_.int8(src + n, e, "IBUF") - zp_a) * vset_.get(f::m_a) +
                                           (ibuf_.int8(src2 + n, e, "IBUF") - zp_b) * vset_.get(f::m_b));
        } else {
          const std::int64_t base = src + n * (op == isa::VectorOp::dwconv ? stride * col_step : out_step);
          for (int i = 0; i < kh; ++i) {
            for (int j = 0; j < kw; ++j) {
              const std::int8_t x = ibuf_.int8(base + i * row_pitch + j * col_step, e, "IBUF");
              if (op == isa::VectorOp::maxpool) best = std::max<std::int32_t>(best, x);
              else if (op == isa::VectorOp::avgpool) acc += static_cast<std::uint32_t>(x - zp_a);
              else acc += static_cast<std::uint32_t>((x - zp_a) * ibuf_.int8(src2 + i * kw + j, e, "IBUF"));
            }
          }
        }
        std::int8_t value;
        if (op == isa::VectorOp::maxpool) {
          value = static_cast<std::int8_t>(std::min<std::int64_t>(std::max<std::int64_t>(best, vset_.get(f::clamp_lo)),
                                                                  vset_.get(f::clamp_hi)));
        } else {
          value = requant(static_cast<std::int32_t>(acc), e);
        }
        out[static_cast<std::size_t>(e)] = static_cast<std::uint8_t>(value);
      }
      if (to_obuf) {  // sign-extended int32 elements; those past R (or C) stay out (zero)
        for (int e = 0; e < cols_; ++e) {
          obuf_.set_int32(dst + n, e, e < rows_ ? static_cast<std::int8_t>(out[static_cast<std::size_t>(e)]) : 0, "OBUF");
        }
      } else {
        std::copy(out.begin(), out.end(), ibuf_.word(dst + n, "IBUF"));
      }
    }
  }

  const Program& program_;
  AcceleratorGeometry geometry_;
  int rows_, cols_;
  Scratchpad ibuf_, wbuf_, obuf_, param_;
  std::vector<std::int8_t> weights_;  // PE weight registers (weight-stationary)
  std::vector<std::uint8_t> dram_;
  isa::Instruction vset_;
};

}  // namespace

FunctionalResult execute_program(const Program& program) { return Executor(program).run(); }

}  // namespace tandem
