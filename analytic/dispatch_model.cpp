#include "analytic/dispatch_model.h"

#include <algorithm>
#include <iterator>

#include "analytic/array_occupancy.h"
#include "analytic/instruction_cost.h"

namespace tandem::analytic {

// Cycle numbering (docs/cosim.md): cycle k is the clock period that ends with the k-th rising
// edge after reset; the counters add cycle k's state at edge k, and `cycles` is the number of
// the edge at which the host sees completion.
//  - Cycle 1: the first instruction is on the port but nothing is held yet (idle).
//  - Instruction i is held from cycle h_i; it dispatches in cycle d_i >= h_i, the first cycle in
//    which no blocking unit is busy. The host presents the next instruction back to back, so
//    the controller takes it at the dispatch edge: h_0 = 2, h_{i+1} = d_i + 1.
//  - A unit started in cycle d is busy in cycles d+1 .. d+busy. The ARRAY overlaps its
//    instructions (ArrayOccupancy): it takes the next one when it is ready for it, and holds
//    each buffer port until the last instruction using it ends.
//  - Completion: the first cycle after the last dispatch in which no unit is busy; that cycle
//    and cycle 1 are the only idle cycles of a non-empty program.
Counters run_dispatch_model(const Program& program) {
  const UnitShapes shapes = unit_shapes(program.config);
  Counters c{};
  std::uint64_t busy_end[isa::unit::count] = {};  // last busy cycle of DMA and VECTOR (0: none yet)
  std::uint8_t unit_ports[isa::unit::count] = {};  // ports of the instruction DMA and VECTOR run
  ArrayOccupancy array(shapes);
  std::uint64_t held_from = 2;
  std::uint64_t last_dispatch = 0;
  for (const isa::Instruction& insn : program.instructions) {
    const InstructionCost cost = account_instruction(insn, shapes, c);
    // The first cycle from which each unit no longer holds this instruction back
    // (tandem_controller.v blocked_by).
    auto free_from = [&](int u) -> std::uint64_t {
      if (u == unit_array) {
        if (cost.unit == unit_array) return array.ready_from(insn);
        std::uint64_t from = array.ports_free_from(cost.ports);
        if (cost.waits_for & (1u << unit_array)) from = std::max(from, array.busy_end() + 1);
        return from;
      }
      const bool blocks = cost.unit == u || (cost.waits_for & (1u << u)) || (unit_ports[u] & cost.ports);
      return blocks ? busy_end[u] + 1 : 0;
    };
    // Stall cycles are blamed on the first blocking unit still busy, in DMA, ARRAY, VECTOR
    // order: unit u takes the cycles after the earlier units' blocking ends until its own does.
    std::uint64_t dispatch = held_from;
    for (int u = 0; u < isa::unit::count; ++u) {
      const std::uint64_t unit_free_from = std::max(held_from, free_from(u));
      if (unit_free_from > dispatch) {
        c[counter::stall_on_dma_cycles + u] += unit_free_from - dispatch;
        dispatch = unit_free_from;
      }
    }
    c[counter::dispatch_stall_cycles] += dispatch - held_from;
    if (cost.unit == unit_array) {
      array.dispatch(insn, cost, dispatch, c);
    } else if (cost.unit != unit_none) {
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
  busy_end[unit_array] = array.busy_end();
  c[counter::cycles] = std::max(last_dispatch, *std::max_element(std::begin(busy_end), std::end(busy_end))) + 1;
  c[counter::idle_cycles] = 2;
  return c;
}

}  // namespace tandem::analytic
