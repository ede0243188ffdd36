#include "cost/cost.h"

#include <algorithm>

#include "core/accelerator_geometry.h"
#include "core/isa.h"

namespace tandem {

namespace {

constexpr double kUm2PerMm2 = 1e6;

// Registers of a PE (tandem_pe.v): two int8 operands (activation and weight / top operand) and
// one int32 partial sum or accumulator; weight-stationary also two int8 shadow weights and the
// token with its bank.
int pe_register_bits(Dataflow dataflow) {
  return 8 + 8 + 32 + (dataflow == Dataflow::weight_stationary ? 2 * 8 + 2 : 0);
}
// Per-element registers of the vector unit (tandem_vector_unit.v): accumulator, bias and
// multiplier (32 bits each), shift (6) and int8 result (8).
constexpr int kVectorElementBits = 32 + 32 + 32 + 6 + 8;
constexpr int kInstructionBits = 128;
// Per requantizer lane: bias, multiplier (32 each), shift (6), two 32-bit pipeline registers.
constexpr int kRequantLaneBits = 32 + 32 + 6 + 2 * 32;

double sram_um2(const BufferGeometry& buffer, int banks, const Technology::Area& a) {
  const double bits = 8.0 * buffer.word_bytes * buffer.depth;
  return bits * a.sram_bit / a.sram_array_efficiency + banks * a.sram_bank_overhead;
}

}  // namespace

std::map<std::string, double> AreaBreakdown::components() const {
  return {{"array", array}, {"ibuf", ibuf}, {"wbuf", wbuf}, {"obuf", obuf}, {"param", param},
          {"vector", vector}, {"requantizer", requantizer}, {"control", control}, {"dma", dma}};
}

AreaBreakdown estimate_area(const AcceleratorConfig& config, const Technology& technology) {
  const Technology::Area& a = technology.area_um2;
  const AcceleratorGeometry g = accelerator_geometry(config);
  const int R = config.array.rows, C = config.array.cols;
  const int widest = std::max(R, C);
  AreaBreakdown area;
  const double pe = a.int8_multiply + a.int32_add + pe_register_bits(config.array.dataflow) * a.register_bit;
  area.array = R * C * pe / kUm2PerMm2;
  area.ibuf = sram_um2(g.ibuf, g.banks, a) / kUm2PerMm2;
  area.wbuf = sram_um2(g.wbuf, g.banks, a) / kUm2PerMm2;
  area.obuf = sram_um2(g.obuf, g.banks, a) / kUm2PerMm2;
  area.param = sram_um2(g.param, 1, a) / kUm2PerMm2;  // PARAM is one bank (tandem_core.v)
  // A lane: int8 x int8 (DWCONV), int32 accumulate, requant int32 multiply and add; the unit
  // never has more lanes than elements in a word.
  const int lanes = std::min(config.vector.lanes, widest);
  const double lane = a.int8_multiply + a.int32_multiply + 2 * a.int32_add;
  const double vector_registers = (widest * kVectorElementBits + 2 * 8 * R) * a.register_bit;
  // The sliding-window DWCONV datapath (tandem_vector_unit.v, DW_KERNEL = K): K slots of R
  // int8 x int9 multiply-accumulates with int32 accumulators, and the K x K weight words.
  const int K = config.vector.depthwise_kernel;
  const double depthwise = K * R * (a.int8_multiply + a.int32_add + 32 * a.register_bit) +
                           static_cast<double>(K) * K * R * 8 * a.register_bit;
  area.vector = (lanes * lane + vector_registers + depthwise) / kUm2PerMm2;
  if (config.array.requantizer == OutputRequantizer::pipelined) {
    // Per column (tandem_array_unit.v, tandem_requant.v): int32 multiply, two int32 adds (bias,
    // zero point), its parameters and two pipeline stages.
    const double requant_lane = a.int32_multiply + 2 * a.int32_add + kRequantLaneBits * a.register_bit;
    area.requantizer = C * requant_lane / kUm2PerMm2;
  }
  // Controller: held instruction and dispatched copy, plus 64-bit activity counters with
  // their incrementers (two 32-bit adders each).
  const double counters = static_cast<double>(isa::counter_names().size());
  area.control = (a.controller + 2 * kInstructionBits * a.register_bit +
                  counters * (64 * a.register_bit + 2 * a.int32_add)) / kUm2PerMm2;
  // DMA: a two-word store queue and a load assembly word of the widest word (OBUF, 4C bytes).
  const int widest_word_bytes = std::max({g.obuf.word_bytes, g.ibuf.word_bytes, g.param.word_bytes});
  area.dma = (a.dma + 3 * 8 * widest_word_bytes * a.register_bit) / kUm2PerMm2;
  // A mesh is its cores, each a whole accelerator; their DRAM channels are wires to the memory
  // system, which lies outside the accelerator (docs/mesh.md).
  const double cores = mesh_cores(config);
  for (double* part : {&area.array, &area.ibuf, &area.wbuf, &area.obuf, &area.param, &area.vector,
                       &area.requantizer, &area.control, &area.dma}) {
    *part *= cores;
  }
  return area;
}

}  // namespace tandem
