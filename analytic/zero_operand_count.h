// Exact count of zero-operand MACs (counter zero_operand_macs) for Programs whose array
// operands come from DRAM: follows, per scratchpad word, the bit mask of its zero bytes from
// the DRAM image through LOADs, LOADW and MATMULs, and counts as tandem_array_unit.v does at the
// array edge. Costs O(bytes loaded + MATMUL vectors x R): milliseconds for a large layer, so
// the analytic model only does it on request (AnalyticOptions::exact_zero_operand_macs).
// Limitation: IBUF words written by the vector unit (its int8 results) are taken as having no
// zero bytes, and DRAM bytes written by STOREs are not tracked; Programs of compile_layer never
// feed either to the array.
#pragma once

#include <cstdint>

#include "core/program.h"

namespace tandem::analytic {

std::uint64_t count_zero_operand_macs(const Program& program);

}  // namespace tandem::analytic
