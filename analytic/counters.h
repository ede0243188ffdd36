// The activity counters of docs/isa.md as a fixed array indexed by CSR address, so that the
// analytic model's inner loop adds to array slots instead of looking names up in a map.
// t_analytic checks that this order is isa::counter_names().
#pragma once

#include <array>
#include <cstdint>

namespace tandem::analytic {

enum Counter : int {
  cycles = 0,
  idle_cycles,
  dispatch_stall_cycles,
  dma_busy_cycles,
  array_busy_cycles,
  vector_busy_cycles,
  macs,
  zero_operand_macs,
  ibuf_reads,
  ibuf_writes,
  wbuf_reads,
  wbuf_writes,
  obuf_reads,
  obuf_writes,
  param_reads,
  param_writes,
  dram_read_bytes,
  dram_write_bytes,
  vector_lane_ops,
  instructions,
  stall_on_dma_cycles,
  stall_on_array_cycles,
  stall_on_vector_cycles,
  counter_count
};

using Counters = std::array<std::uint64_t, counter_count>;

}  // namespace tandem::analytic
