// The ARRAY unit's occupancy, as tandem_array_unit.v overlaps its instructions: when it is
// ready for the next LOADW or MATMUL, until when it holds each buffer port, and its busy
// cycles (the union of its instructions' busy intervals). dispatch_model asks it instead of
// treating the ARRAY as busy until its last instruction ends.
#pragma once

#include <array>
#include <cstdint>

#include "analytic/counters.h"
#include "analytic/instruction_cost.h"

namespace tandem::analytic {

class ArrayOccupancy {
 public:
  explicit ArrayOccupancy(const UnitShapes& shapes);

  // First cycle in which the unit takes `insn` (a LOADW or MATMUL).
  std::uint64_t ready_from(const isa::Instruction& insn) const;
  // First cycle from which none of `ports` is held.
  std::uint64_t ports_free_from(std::uint8_t ports) const;
  // Last busy cycle so far (0: none).
  std::uint64_t busy_end() const { return busy_end_; }
  // `insn`, priced as `cost`, dispatched in cycle `dispatch`; adds its busy cycles to `counters`.
  void dispatch(const isa::Instruction& insn, const InstructionCost& cost, std::uint64_t dispatch,
                Counters& counters);

 private:
  UnitShapes shapes_;
  std::uint64_t latency_;
  std::uint64_t busy_end_ = 0;
  std::array<std::uint64_t, 8> port_end_{};  // last cycle each port is held
  // Weight-stationary readiness (output-stationary: one instruction at a time).
  std::uint64_t loader_free_from_ = 0;   // the last LOADW's last step
  std::uint64_t stream_free_from_ = 0;   // the last MATMUL's last reading step
  // Per shadow bank (LOADWs alternate): the token of the last MATMUL that activated it has
  // passed every PE.
  std::array<std::uint64_t, 2> token_clear_from_{};
  int last_loaded_bank_ = 1;  // the first LOADW fills bank 0
  std::uint64_t requant_done_from_ = 0;  // no requantizing MATMUL in flight
};

}  // namespace tandem::analytic
