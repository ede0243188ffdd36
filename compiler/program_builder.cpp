#include "compiler/program_builder.h"

#include <algorithm>
#include <stdexcept>

#include "compiler/compiler.h"

namespace tandem::compiler {

namespace f = isa::field;

ProgramBuilder::ProgramBuilder(const AcceleratorConfig& config, std::string name, bool plan_only)
    : geometry_(accelerator_geometry(config)), plan_only_(plan_only) {
  program_.name = std::move(name);
  program_.config = config;
}

std::uint32_t ProgramBuilder::allocate(std::uint32_t bytes) {
  if (plan_only_) throw PlanComplete{};
  const std::uint32_t address = next_free_;
  const std::uint64_t end = (static_cast<std::uint64_t>(address) + bytes + 63) / 64 * 64;
  if (end > 0xFFFFFFFFull) throw MappingError("the layer needs more than 4 GiB of DRAM");
  next_free_ = static_cast<std::uint32_t>(end);
  program_.dram_bytes = next_free_;
  return address;
}

std::uint32_t ProgramBuilder::place(std::string name, std::vector<std::uint8_t> bytes) {
  if (bytes.size() > 0xFFFFFFFFull) throw MappingError(name + " needs more than 4 GiB of DRAM");
  const std::uint32_t address = allocate(static_cast<std::uint32_t>(bytes.size()));
  program_.memory.push_back({std::move(name), address, std::move(bytes)});
  return address;
}

std::uint32_t ProgramBuilder::place_params(std::string name, const std::vector<ParamEntry>& entries) {
  std::vector<std::uint8_t> bytes;
  for (const ParamEntry& entry : entries) {
    for (std::int32_t value : {entry.bias, entry.multiplier, entry.shift}) {
      const auto bits = static_cast<std::uint32_t>(value);
      for (int b = 0; b < 4; ++b) bytes.push_back(static_cast<std::uint8_t>(bits >> (8 * b)));
    }
  }
  return place(std::move(name), std::move(bytes));
}

std::uint32_t ProgramBuilder::reserve_output(std::string name, std::uint32_t bytes) {
  const std::uint32_t address = allocate(bytes);
  program_.outputs.push_back({std::move(name), address, bytes});
  return address;
}

int ProgramBuilder::word_bytes(isa::Buffer buffer, bool narrow) const {
  switch (buffer) {
    case isa::Buffer::ibuf: return geometry_.ibuf.word_bytes;
    case isa::Buffer::wbuf: return geometry_.wbuf.word_bytes;
    case isa::Buffer::obuf: return narrow ? geometry_.obuf.elements : geometry_.obuf.word_bytes;
    case isa::Buffer::param: return geometry_.param.word_bytes;
  }
  return 0;
}

namespace {

// An instruction field too small for a value (a huge layer) is a mapping failure of this
// accelerator, reported like the others rather than as an internal error.
template <typename Build>
isa::Instruction build_checked(const std::string& program, Build build) {
  try {
    return build();
  } catch (const std::out_of_range& e) {
    throw MappingError(program + ": " + e.what());
  }
}

// Splits rows x row_words into instructions whose fields fit 16 bits.
template <typename Emit>
void split_transfer(std::int64_t rows, std::int64_t row_words, Emit emit) {
  constexpr std::int64_t kMax = 65535;
  if (row_words > kMax) {
    // One row at a time, in pieces of at most kMax words.
    for (std::int64_t r = 0; r < rows; ++r) {
      for (std::int64_t w = 0; w < row_words; w += kMax) emit(r, w, 1, std::min(kMax, row_words - w));
    }
    return;
  }
  for (std::int64_t r = 0; r < rows; r += kMax) emit(r, 0, std::min(kMax, rows - r), row_words);
}

}  // namespace

void ProgramBuilder::load(isa::Buffer buffer, std::int64_t sp_addr, std::uint32_t dram_addr,
                          std::int64_t rows, std::int64_t row_words, std::uint32_t dram_pitch) {
  transfer(isa::Opcode::load, buffer, sp_addr, dram_addr, rows, row_words, dram_pitch, false);
}

void ProgramBuilder::store(isa::Buffer buffer, std::int64_t sp_addr, std::uint32_t dram_addr,
                           std::int64_t rows, std::int64_t row_words, std::uint32_t dram_pitch,
                           bool narrow) {
  transfer(isa::Opcode::store, buffer, sp_addr, dram_addr, rows, row_words, dram_pitch, narrow);
}

void ProgramBuilder::store_pixels(isa::Buffer buffer, std::int64_t sp_addr, std::uint32_t dram_addr,
                                  std::int64_t pixels, std::uint32_t pixel_stride, bool narrow) {
  if (static_cast<int>(pixel_stride) == word_bytes(buffer, narrow)) {
    store(buffer, sp_addr, dram_addr, 1, pixels, 0, narrow);
  } else {
    store(buffer, sp_addr, dram_addr, pixels, 1, pixel_stride, narrow);
  }
}

void ProgramBuilder::transfer(isa::Opcode opcode, isa::Buffer buffer, std::int64_t sp_addr,
                              std::uint32_t dram_addr, std::int64_t rows, std::int64_t row_words,
                              std::uint32_t dram_pitch, bool narrow) {
  const int bytes = word_bytes(buffer, narrow);
  split_transfer(rows, row_words, [&](std::int64_t r, std::int64_t w, std::int64_t n_rows, std::int64_t n_words) {
    ++transfers_;
    program_.instructions.push_back(build_checked(program_.name, [&] {
      isa::Instruction insn(opcode);
      insn.set(f::buf, static_cast<int>(buffer))
          .set(f::narrow, narrow ? 1 : 0)
          .set(f::sp_addr, sp_addr + r * row_words + w)
          .set(f::dram_addr, static_cast<std::int64_t>(dram_addr) + r * dram_pitch + w * bytes)
          .set(f::rows, n_rows)
          .set(f::row_words, n_words)
          .set(f::dram_pitch, dram_pitch);
      return insn;
    }));
  });
}

void ProgramBuilder::loadw(std::int64_t w_addr) {
  program_.instructions.push_back(
      build_checked(program_.name, [&] { return isa::Instruction(isa::Opcode::loadw).set(f::w_addr, w_addr); }));
}

void ProgramBuilder::matmul(std::int64_t a_addr, std::int64_t a_stride, std::int64_t b_addr,
                            std::int64_t c_addr, std::int64_t len, bool accumulate, bool requant) {
  program_.instructions.push_back(build_checked(program_.name, [&] {
    isa::Instruction insn(isa::Opcode::matmul);
    insn.set(f::a_addr, a_addr).set(f::a_stride, a_stride).set(f::b_addr, b_addr)
        .set(f::c_addr, c_addr).set(f::len, len).set(f::acc, accumulate ? 1 : 0)
        .set(f::requant, requant ? 1 : 0);
    return insn;
  }));
}

void ProgramBuilder::vset(const VectorSettings& s) {
  program_.instructions.push_back(build_checked(program_.name, [&] {
    isa::Instruction insn(isa::Opcode::vset);
    insn.set(f::zp_a, s.zp_a).set(f::zp_b, s.zp_b).set(f::zp_out, s.zp_out)
        .set(f::clamp_lo, s.clamp_lo).set(f::clamp_hi, s.clamp_hi)
        .set(f::m_a, s.m_a).set(f::m_b, s.m_b)
        .set(f::col_step, s.col_step).set(f::param_base, s.param_base).set(f::out_step, s.out_step);
    return insn;
  }));
}

void ProgramBuilder::vector(isa::VectorOp op, std::int64_t src, std::int64_t src2,
                            std::int64_t dst, std::int64_t count, int kh, int kw,
                            std::int64_t row_pitch, int stride, bool to_obuf) {
  program_.instructions.push_back(build_checked(program_.name, [&] {
    isa::Instruction insn(isa::Opcode::vector);
    insn.set(f::vop, static_cast<int>(op)).set(f::src, src).set(f::src2, src2).set(f::dst, dst)
        .set(f::count, count).set(f::kh, kh).set(f::kw, kw).set(f::row_pitch, row_pitch)
        .set(f::stride, stride).set(f::to_obuf, to_obuf ? 1 : 0);
    return insn;
  }));
}

void ProgramBuilder::sync(int mask) {
  program_.instructions.push_back(isa::Instruction(isa::Opcode::sync).set(f::mask, mask));
}

Program ProgramBuilder::finish() { return std::move(program_); }

}  // namespace tandem::compiler
