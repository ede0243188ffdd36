#include "analytic/zero_operand_count.h"

#include <bitset>
#include <vector>

#include "core/accelerator_geometry.h"

namespace tandem::analytic {

namespace {

int popcount(std::uint64_t mask) { return static_cast<int>(std::bitset<64>(mask).count()); }

// A scratchpad as the zero masks of its words (bit e: element e is a zero byte). Elements of
// IBUF and WBUF words are bytes, at most 64 per word (rows, cols <= 64).
class ZeroMasks {
 public:
  explicit ZeroMasks(int depth) : masks_(static_cast<std::size_t>(depth), 0) {}
  std::uint64_t& at(std::uint64_t address) { return masks_[address % masks_.size()]; }

 private:
  std::vector<std::uint64_t> masks_;
};

std::uint64_t zero_mask(const std::vector<std::uint8_t>& dram, std::uint64_t address, int bytes) {
  std::uint64_t mask = 0;
  for (int e = 0; e < bytes; ++e) {
    const std::uint64_t a = address + static_cast<std::uint64_t>(e);
    if (a >= dram.size() || dram[a] == 0) mask |= std::uint64_t{1} << e;
  }
  return mask;
}

}  // namespace

std::uint64_t count_zero_operand_macs(const Program& program) {
  const AcceleratorGeometry g = accelerator_geometry(program.config);
  const int R = program.config.array.rows, C = program.config.array.cols;
  const bool os = program.config.array.dataflow == Dataflow::output_stationary;
  std::vector<std::uint8_t> dram(program.dram_bytes, 0);
  for (const MemorySegment& s : program.memory) {
    if (s.address + s.bytes.size() > dram.size()) dram.resize(s.address + s.bytes.size(), 0);
    std::copy(s.bytes.begin(), s.bytes.end(), dram.begin() + s.address);
  }
  ZeroMasks ibuf(g.ibuf.depth), wbuf(g.wbuf.depth);
  std::vector<int> weight_zeros(static_cast<std::size_t>(R), 0);  // per PE row (weight-stationary)
  std::uint64_t zero_macs = 0;
  for (const isa::Instruction& insn : program.instructions) {
    switch (insn.opcode()) {
      case isa::Opcode::load: {
        const auto buf = insn.get(isa::field::buf);
        if (buf > 1) break;
        ZeroMasks& masks = buf == 0 ? ibuf : wbuf;
        const int bytes = buf == 0 ? R : C;
        const auto rows = insn.get(isa::field::rows), row_words = insn.get(isa::field::row_words);
        const auto sp = static_cast<std::uint64_t>(insn.get(isa::field::sp_addr));
        const auto base = static_cast<std::uint64_t>(insn.get(isa::field::dram_addr));
        const auto pitch = static_cast<std::uint64_t>(insn.get(isa::field::dram_pitch));
        for (std::int64_t r = 0; r < rows; ++r) {
          for (std::int64_t k = 0; k < row_words; ++k) {
            masks.at(sp + static_cast<std::uint64_t>(r * row_words + k)) =
                zero_mask(dram, base + static_cast<std::uint64_t>(r) * pitch + static_cast<std::uint64_t>(k * bytes), bytes);
          }
        }
        break;
      }
      case isa::Opcode::vector: {
        if (insn.get(isa::field::vop) == static_cast<int>(isa::VectorOp::requant)) break;
        const auto dst = static_cast<std::uint64_t>(insn.get(isa::field::dst));
        for (std::int64_t n = 0; n < insn.get(isa::field::count); ++n) ibuf.at(dst + static_cast<std::uint64_t>(n)) = 0;
        break;
      }
      case isa::Opcode::loadw: {
        if (os) break;
        const auto w = static_cast<std::uint64_t>(insn.get(isa::field::w_addr));
        for (int i = 0; i < R; ++i) weight_zeros[static_cast<std::size_t>(i)] = popcount(wbuf.at(w + static_cast<std::uint64_t>(i)));
        break;
      }
      case isa::Opcode::matmul: {
        const auto len = insn.get(isa::field::len);
        const auto a = static_cast<std::uint64_t>(insn.get(isa::field::a_addr));
        const auto stride = static_cast<std::uint64_t>(insn.get(isa::field::a_stride));
        const auto b = static_cast<std::uint64_t>(insn.get(isa::field::b_addr));
        for (std::int64_t m = 0; m < len; ++m) {
          const std::uint64_t am = ibuf.at(a + static_cast<std::uint64_t>(m) * stride);
          const std::uint64_t za = static_cast<std::uint64_t>(popcount(am));
          if (os) {  // a zero in A (za of R) or in B (zb of C)
            const std::uint64_t zb = static_cast<std::uint64_t>(popcount(wbuf.at(b + static_cast<std::uint64_t>(m))));
            zero_macs += za * static_cast<std::uint64_t>(C) + zb * static_cast<std::uint64_t>(R) - za * zb;
          } else {  // a zero activation zeroes its PE row; else the row's zero weights count
            zero_macs += za * static_cast<std::uint64_t>(C);
            for (int r = 0; r < R; ++r) {
              if (!((am >> r) & 1)) zero_macs += static_cast<std::uint64_t>(weight_zeros[static_cast<std::size_t>(r)]);
            }
          }
        }
        break;
      }
      default: break;
    }
  }
  return zero_macs;
}

}  // namespace tandem::analytic
