#include "analytic/array_occupancy.h"

#include <algorithm>

#include "analytic/fields.h"

namespace tandem::analytic {

ArrayOccupancy::ArrayOccupancy(const UnitShapes& shapes)
    : shapes_(shapes), latency_(static_cast<std::uint64_t>(shapes.rows + shapes.cols - 1)) {}

std::uint64_t ArrayOccupancy::ready_from(const isa::Instruction& insn) const {
  if (shapes_.output_stationary) return busy_end_ + 1;
  if (opcode(insn) == isa::Opcode::loadw) {
    return std::max(loader_free_from_, token_clear_from_[static_cast<std::size_t>(1 - last_loaded_bank_)]);
  }
  return std::max({loader_free_from_, stream_free_from_, requant_done_from_});
}

std::uint64_t ArrayOccupancy::ports_free_from(std::uint8_t ports) const {
  std::uint64_t free_from = 0;
  for (std::size_t p = 0; p < port_end_.size(); ++p) {
    if (ports & (1u << p)) free_from = std::max(free_from, port_end_[p] + 1);
  }
  return free_from;
}

void ArrayOccupancy::dispatch(const isa::Instruction& insn, const InstructionCost& cost, std::uint64_t dispatch,
                              Counters& counters) {
  if (cost.busy_cycles == 0) return;  // LOADW in an output-stationary array, len 0: no effect
  // Busy in cycles dispatch+1 .. end; the unit's busy cycles are the union of the intervals.
  const std::uint64_t end = dispatch + cost.busy_cycles;
  counters[counter::array_busy_cycles] += end - std::max(dispatch, std::min(end, busy_end_));
  busy_end_ = std::max(busy_end_, end);
  for (std::size_t p = 0; p < port_end_.size(); ++p) {
    if (cost.ports & (1u << p)) port_end_[p] = std::max(port_end_[p], end);
  }
  if (shapes_.output_stationary) return;
  const auto R = static_cast<std::uint64_t>(shapes_.rows);
  if (opcode(insn) == isa::Opcode::loadw) {
    loader_free_from_ = dispatch + R + 1;
    last_loaded_bank_ = 1 - last_loaded_bank_;
    return;
  }
  const std::uint64_t len = field(insn, isa::field::len);
  stream_free_from_ = dispatch + std::max<std::uint64_t>(len, 2);
  token_clear_from_[static_cast<std::size_t>(last_loaded_bank_)] = dispatch + latency_;
  if (shapes_.output_requantizer && field(insn, isa::field::requant) != 0) requant_done_from_ = end + 1;
}

}  // namespace tandem::analytic
