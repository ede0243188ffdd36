#include "analytic/dispatch_model.h"

#include <algorithm>
#include <iterator>

#include "analytic/instruction_cost.h"

namespace tandem::analytic {

// Cycle numbering (docs/cosim.md): cycle k is the clock period that ends with the k-th rising
// edge after reset; the counters add cycle k's state at edge k, and `cycles` is the number of
// the edge at which the host sees completion.
//  - Cycle 1: the first instruction is on the port but nothing is held yet (idle).
//  - Instruction i is held from cycle h_i; it dispatches in cycle d_i >= h_i, the first cycle in
//    which no blocking unit is busy. The host presents the next instruction back to back, so
//    the controller takes it at the dispatch edge: h_0 = 2, h_{i+1} = d_i + 1.
//  - A unit started in cycle d is busy in cycles d+1 .. d+busy.
//  - Completion: the first cycle after the last dispatch in which no unit is busy; that cycle
//    and cycle 1 are the only idle cycles of a non-empty program.
Counters run_dispatch_model(const Program& program) {
  const UnitShapes shapes = unit_shapes(program.config);
  Counters c{};
  std::uint64_t busy_end[isa::unit::count] = {};  // last busy cycle of each unit (0: none yet)
  std::uint8_t unit_ports[isa::unit::count] = {};  // ports of the instruction each unit runs
  std::uint64_t held_from = 2;
  std::uint64_t last_dispatch = 0;
  for (const isa::Instruction& insn : program.instructions) {
    const InstructionCost cost = account_instruction(insn, shapes, c);
    // Units whose busy state holds this instruction back (tandem_controller.v blocked_by).
    unsigned blockers = cost.waits_for;
    if (cost.unit != unit_none) blockers |= 1u << cost.unit;
    for (int u = 0; u < isa::unit::count; ++u) {
      if (unit_ports[u] & cost.ports) blockers |= 1u << u;
    }
    // Stall cycles are blamed on the first blocking unit still busy, in DMA, ARRAY, VECTOR
    // order: unit u takes the cycles after the earlier units' blocking ends until its own does.
    std::uint64_t dispatch = held_from;
    for (int u = 0; u < isa::unit::count; ++u) {
      if (!(blockers & (1u << u))) continue;
      const std::uint64_t free_from = std::max(held_from, busy_end[u] + 1);
      if (free_from > dispatch) {
        c[counter::stall_on_dma_cycles + u] += free_from - dispatch;
        dispatch = free_from;
      }
    }
    c[counter::dispatch_stall_cycles] += dispatch - held_from;
    if (cost.unit != unit_none) {
      unit_ports[cost.unit] = cost.ports;
      if (cost.busy_cycles != 0) {
        busy_end[cost.unit] = dispatch + cost.busy_cycles;
        c[counter::dma_busy_cycles + cost.unit] += cost.busy_cycles;
      }
    }
    last_dispatch = dispatch;
    held_from = dispatch + 1;
  }
  c[counter::instructions] = program.instructions.size();
  if (program.instructions.empty()) {
    c[counter::cycles] = 1;
    c[counter::idle_cycles] = 1;
    return c;
  }
  c[counter::cycles] = std::max(last_dispatch, *std::max_element(std::begin(busy_end), std::end(busy_end))) + 1;
  c[counter::idle_cycles] = 2;
  return c;
}

}  // namespace tandem::analytic
