// Fast field extraction for the analytic model's inner loops: isa::Instruction::get walks the
// field bit by bit, which would dominate the model's time on programs of 10^5 instructions.
#pragma once

#include <cstdint>

#include "core/isa.h"

namespace tandem::analytic {

// Unsigned value of `f` (the model reads no signed fields).
inline std::uint64_t field(const isa::Instruction& insn, const isa::Field& f) {
  const auto& w = insn.words();
  const int lo = f.lsb, hi = f.lsb + f.width - 1;
  const std::uint64_t mask = f.width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << f.width) - 1;
  if (lo / 64 == hi / 64) return (w[static_cast<std::size_t>(lo / 64)] >> (lo % 64)) & mask;
  // Straddles the word boundary (e.g. MATMUL c_addr[79:56]).
  return ((w[0] >> lo) | (w[1] << (64 - lo))) & mask;
}

inline isa::Opcode opcode(const isa::Instruction& insn) {
  return static_cast<isa::Opcode>(insn.words()[0] & 0xf);
}

}  // namespace tandem::analytic
