// Estimate of the one data-dependent counter, zero_operand_macs: MACs whose activation or
// weight is zero. The RTL counts them exactly from the operands at the array edge; counting
// exactly here means following the data (zero_operand_count.h: milliseconds, not
// microseconds), so by default the model estimates them from operand density:
//   z_a, z_w: zero-byte fractions of what the Program's LOADs bring into IBUF and WBUF, each
//   LOAD weighted by its words and measured on the DRAM segment it reads from (sampled: at most
//   1024 bytes per segment; bytes outside every segment are zero).
// Most zeros are padding (channels, K rows and output columns rounded up to the array). How the
// two operands' zeros combine depends on the dataflow:
//  - weight-stationary: activation element r meets PE row r's weights, the same K index, so
//    K padding is zero in both at once: zeros nest. Estimate
//      1 - (1 - max(z_a, z_w)) * (1 - min(z_a, z_w, kDataZeroCap)):
//    the sparser operand's zeros plus the other's taken as independent data zeros, of which
//    int8 tensors rarely have more than a few percent;
//  - output-stationary: A pads output rows (M), B output columns (N): independent axes,
//      1 - (1 - z_a) * (1 - z_w).
// On the t_analytic_rtl layers the error is 0 .. +4.4% of the MACs (one formula for both was off
// by up to 23%).
#pragma once

#include <cstdint>

#include "core/program.h"

namespace tandem::analytic {

struct OperandDensity {
  double activation_zero_fraction = 0;  // z_a: IBUF operands
  double weight_zero_fraction = 0;      // z_w: WBUF operands
  double zero_operand_fraction(Dataflow dataflow) const;  // the formulas above
};

OperandDensity estimate_operand_density(const Program& program);

}  // namespace tandem::analytic
