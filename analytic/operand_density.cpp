#include "analytic/operand_density.h"

#include <algorithm>
#include <vector>

#include "analytic/fields.h"

namespace tandem::analytic {

namespace {

// Evenly spaced bytes examined per segment: the estimate's cost does not grow with the layer.
constexpr std::size_t kSamplesPerSegment = 1024;

double sampled_zero_fraction(const std::vector<std::uint8_t>& bytes) {
  if (bytes.empty()) return 1.0;
  const std::size_t step = std::max<std::size_t>(1, bytes.size() / kSamplesPerSegment);
  std::size_t zeros = 0, seen = 0;
  for (std::size_t i = 0; i < bytes.size(); i += step, ++seen) zeros += bytes[i] == 0;
  return static_cast<double>(zeros) / static_cast<double>(seen);
}

struct SegmentSpan {
  std::uint64_t begin, end;
  double zero_fraction;
};

}  // namespace

double OperandDensity::zero_operand_fraction(Dataflow dataflow) const {
  if (dataflow == Dataflow::output_stationary) {
    return 1.0 - (1.0 - activation_zero_fraction) * (1.0 - weight_zero_fraction);
  }
  // Independent zeros of int8 data beyond padding (see the header).
  constexpr double kDataZeroCap = 0.05;
  const double sparser = std::max(activation_zero_fraction, weight_zero_fraction);
  const double denser = std::min({activation_zero_fraction, weight_zero_fraction, kDataZeroCap});
  return 1.0 - (1.0 - sparser) * (1.0 - denser);
}

OperandDensity estimate_operand_density(const Program& program) {
  std::vector<SegmentSpan> spans;
  spans.reserve(program.memory.size());
  for (const MemorySegment& s : program.memory) {
    spans.push_back({s.address, s.address + s.bytes.size(), sampled_zero_fraction(s.bytes)});
  }
  std::sort(spans.begin(), spans.end(), [](const SegmentSpan& a, const SegmentSpan& b) { return a.begin < b.begin; });
  auto zero_fraction_at = [&](std::uint64_t address) {
    auto it = std::upper_bound(spans.begin(), spans.end(), address,
                               [](std::uint64_t a, const SegmentSpan& s) { return a < s.begin; });
    if (it == spans.begin()) return 1.0;
    --it;
    return address < it->end ? it->zero_fraction : 1.0;  // DRAM outside segments is zero
  };
  // Byte-weighted zero fractions of the loads into IBUF (0) and WBUF (1).
  double zero_bytes[2] = {0, 0}, all_bytes[2] = {0, 0};
  for (const isa::Instruction& insn : program.instructions) {
    if (opcode(insn) != isa::Opcode::load) continue;
    const auto buf = field(insn, isa::field::buf);
    if (buf > 1) continue;
    const double words = static_cast<double>(field(insn, isa::field::rows) * field(insn, isa::field::row_words));
    const double z = zero_fraction_at(field(insn, isa::field::dram_addr));
    zero_bytes[buf] += words * z;
    all_bytes[buf] += words;
  }
  OperandDensity d;
  if (all_bytes[0] > 0) d.activation_zero_fraction = zero_bytes[0] / all_bytes[0];
  if (all_bytes[1] > 0) d.weight_zero_fraction = zero_bytes[1] / all_bytes[1];
  return d;
}

}  // namespace tandem::analytic
