// Estimate of the one data-dependent counter, zero_operand_macs: MACs whose activation or
// weight is zero. The RTL counts them exactly from the operands at the array edge; counting
// exactly here would mean executing the Program's data movement (milliseconds, not
// microseconds), so the model estimates them from operand density instead:
//   zero_operand_macs ~= macs * (1 - (1 - z_a) * (1 - z_w))
// with z_a, z_w the zero-byte fractions of what the Program's LOADs bring into IBUF and WBUF,
// each LOAD weighted by its bytes and measured on the DRAM segment it reads from (sampled:
// at most 1024 bytes per segment; bytes outside every segment are zero). This
// assumes zeros in the two operands are independent and evenly spread over the tiles.
#pragma once

#include <cstdint>

#include "core/program.h"

namespace tandem::analytic {

struct OperandDensity {
  double activation_zero_fraction = 0;  // z_a: IBUF operands
  double weight_zero_fraction = 0;      // z_w: WBUF operands
  double zero_operand_fraction() const;  // 1 - (1 - z_a)(1 - z_w)
};

OperandDensity estimate_operand_density(const Program& program);

}  // namespace tandem::analytic
