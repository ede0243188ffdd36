// Closed forms per instruction (docs/isa.md and the headers of rtl_templates/tandem_dma.v,
// tandem_array_unit.v, tandem_vector_unit.v): which unit runs it, which buffer ports it holds,
// which units must be idle before it dispatches, how many cycles its unit stays busy, and the
// activity it adds to the counters. Timing across instructions is dispatch_model's job.
#pragma once

#include <cstdint>

#include "core/accelerator_config.h"
#include "core/isa.h"
#include "analytic/counters.h"

namespace tandem::analytic {

enum Unit : int {
  unit_dma = isa::unit::dma,
  unit_array = isa::unit::array,
  unit_vector = isa::unit::vector,
  unit_none = isa::unit::count,
};

// Buffer ports as the controller's bit set (tandem_controller.v).
enum Port : std::uint8_t {
  ibuf_r = 1 << 0, ibuf_w = 1 << 1, wbuf_r = 1 << 2, wbuf_w = 1 << 3,
  obuf_r = 1 << 4, obuf_w = 1 << 5, param_r = 1 << 6, param_w = 1 << 7,
};

// The configuration's numbers that the closed forms use, derived once per Program.
struct UnitShapes {
  int rows = 0, cols = 0, lanes = 0, bytes_per_cycle = 0;
  int banks = 1;  // IBUF, WBUF and OBUF banks: the DMA's word groups (dma_group_words)
  int depthwise_kernel = 0;  // the vector unit's sliding-window DWCONV (0: none)
  bool output_stationary = false;
  bool output_requantizer = false;  // MATMUL honours its requant bit
  int requant_latency = 5;  // the requantizers' pipeline stages (array and vector lanes)
  // Cycles from a read request's acceptance to the edge that samples its response: the
  // configured latency, with 0 run as 1 (docs/cosim.md).
  std::uint64_t read_latency = 1;
};
UnitShapes unit_shapes(const AcceleratorConfig& config);

struct InstructionCost {
  Unit unit = unit_none;
  std::uint8_t ports = 0;      // ports it uses while its unit is busy
  std::uint8_t waits_for = 0;  // units (bit u) that must be idle besides its own (SYNC, VSET)
  std::uint64_t busy_cycles = 0;  // 0: the unit never becomes busy (e.g. len 0)
};

// Adds the instruction's activity (buffer accesses, DRAM bytes, MACs, lane operations) to
// `counters` and returns its timing-relevant cost. Zero-operand MACs are not counted here
// (data-dependent; see operand_density.h).
InstructionCost account_instruction(const isa::Instruction& insn, const UnitShapes& shapes,
                                    Counters& counters);

}  // namespace tandem::analytic
