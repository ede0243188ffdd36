#include "analytic/instruction_cost.h"

#include <algorithm>

#include "analytic/fields.h"
#include "core/accelerator_geometry.h"

namespace tandem::analytic {

namespace {

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

constexpr std::uint64_t id(isa::Buffer b) { return static_cast<std::uint64_t>(b); }

// Word size in bytes of a DMA buffer id as tandem_dma.v's bytes_of(): ids above 3 act as PARAM.
std::uint64_t dma_word_bytes(std::uint64_t buf, bool narrow, const UnitShapes& s) {
  switch (buf) {
    case id(isa::Buffer::ibuf): return static_cast<std::uint64_t>(s.rows);
    case id(isa::Buffer::wbuf): return static_cast<std::uint64_t>(s.cols);
    case id(isa::Buffer::obuf): return static_cast<std::uint64_t>(narrow ? s.cols : 4 * s.cols);
    default: return 12;
  }
}

InstructionCost dma_cost(const isa::Instruction& insn, bool store, const UnitShapes& s, Counters& c) {
  const std::uint64_t buf = field(insn, isa::field::buf);
  // Narrow transfers are STOREs from OBUF (docs/isa.md); the bit means nothing elsewhere.
  const bool narrow = store && buf == id(isa::Buffer::obuf) && field(insn, isa::field::narrow) != 0;
  const std::uint64_t words = field(insn, isa::field::rows) * field(insn, isa::field::row_words);
  InstructionCost cost;
  cost.unit = unit_dma;
  // The controller maps ids above 3 to PARAM's ports (tandem_controller.v buffer_port).
  const int port_index = 2 * static_cast<int>(std::min(buf, id(isa::Buffer::param))) + (store ? 0 : 1);
  cost.ports = static_cast<std::uint8_t>(1u << port_index);
  if (words == 0) return cost;
  const std::uint64_t bytes = dma_word_bytes(buf, narrow, s);
  // Words of one row travel in groups, one request each, where a group is more than one word
  // (PARAM has one bank); otherwise a word takes ceil(bytes / BPC) requests.
  const std::uint64_t group =
      buf <= id(isa::Buffer::obuf)
          ? static_cast<std::uint64_t>(dma_group_words(static_cast<int>(bytes), s.banks, s.bytes_per_cycle))
          : 1;
  const std::uint64_t requests =
      group > 1 ? field(insn, isa::field::rows) * ceil_div(field(insn, isa::field::row_words), group)
                : words * ceil_div(bytes, static_cast<std::uint64_t>(s.bytes_per_cycle));
  // Loads end with the last response (one request per cycle, each answered `latency` later);
  // stores first read one word ahead (scratchpad read + capture), then issue one request per
  // cycle and end when the last is accepted.
  cost.busy_cycles = store ? requests + 2 : requests + s.read_latency;
  c[store ? counter::dram_write_bytes : counter::dram_read_bytes] += words * bytes;
  // Buffer counters see the DMA only for ids 0..3 (tandem_core.v compares dma_buf exactly).
  if (buf <= id(isa::Buffer::param)) c[counter::ibuf_reads + 2 * static_cast<int>(buf) + (store ? 0 : 1)] += words;
  return cost;
}

InstructionCost array_cost(const isa::Instruction& insn, bool matmul, const UnitShapes& s, Counters& c) {
  const std::uint64_t R = static_cast<std::uint64_t>(s.rows), C = static_cast<std::uint64_t>(s.cols);
  const std::uint64_t latency = R + C - 1;  // first operand in to last result out of the array
  InstructionCost cost;
  cost.unit = unit_array;
  if (!matmul) {  // LOADW: shifts R weight words in; nothing to do in an output-stationary array
    if (s.output_stationary) return cost;
    cost.ports = wbuf_r;
    cost.busy_cycles = R + 1;
    c[counter::wbuf_reads] += R;
    return cost;
  }
  const bool acc = field(insn, isa::field::acc) != 0;
  // The requantizer's pipeline: requant_latency more cycles, PARAM read for the C columns'
  // parameters.
  const bool requant = s.output_requantizer && field(insn, isa::field::requant) != 0;
  const std::uint64_t len = field(insn, isa::field::len);
  cost.ports = static_cast<std::uint8_t>(ibuf_r | obuf_w | (s.output_stationary ? wbuf_r : 0) |
                                         (acc ? obuf_r : 0) | (requant ? param_r : 0));
  if (len == 0) return cost;
  const std::uint64_t result_rows = s.output_stationary ? R : len;
  cost.busy_cycles = (s.output_stationary ? len + latency + R : len + latency + 1) + (requant ? static_cast<std::uint64_t>(s.requant_latency) : 0);
  if (requant) {
    c[counter::param_reads] += C;
    c[counter::requantizer_ops] += result_rows * C;
  }
  c[counter::ibuf_reads] += len;
  if (s.output_stationary) c[counter::wbuf_reads] += len;
  c[counter::obuf_writes] += result_rows;
  if (acc) c[counter::obuf_reads] += result_rows;
  c[counter::macs] += len * R * C;
  return cost;
}

InstructionCost vector_cost(const isa::Instruction& insn, const UnitShapes& s, Counters& c) {
  const std::uint64_t vop = field(insn, isa::field::vop);
  const std::uint64_t count = field(insn, isa::field::count);
  const bool requant = vop == static_cast<std::uint64_t>(isa::VectorOp::requant);
  // Results go to OBUF for REQUANT, and for the others with to_obuf (tandem_controller.v decode).
  const bool writes_obuf = requant || field(insn, isa::field::to_obuf) != 0;
  InstructionCost cost;
  cost.unit = unit_vector;
  cost.ports = static_cast<std::uint8_t>(param_r | (requant ? obuf_r : ibuf_r) | (writes_obuf ? obuf_w : ibuf_w));
  if (count == 0 || vop >= isa::vector_op_count) return cost;
  const auto op = static_cast<isa::VectorOp>(vop);
  const std::uint64_t W = static_cast<std::uint64_t>(requant ? s.cols : s.rows);  // elements per word
  const std::uint64_t B = ceil_div(W, static_cast<std::uint64_t>(s.lanes));       // beats per word
  const std::uint64_t kh = field(insn, isa::field::kh), kw = field(insn, isa::field::kw);
  const std::uint64_t stride = field(insn, isa::field::stride);
  const std::uint64_t taps = kh * kw;
  // PARAM load: W reads plus one cycle for the last response; MAXPOOL has no parameters.
  const std::uint64_t param_load = op == isa::VectorOp::maxpool ? 0 : W + 1;
  const auto i64 = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };  // isa's timing functions
  if (op == isa::VectorOp::dwconv && isa::dwconv_slides(i64(kh), i64(kw), i64(stride), i64(B), s.depthwise_kernel)) {
    const std::uint64_t columns = (count - 1) * stride + kw;
    cost.busy_cycles =
        static_cast<std::uint64_t>(isa::sliding_dwconv_cycles(i64(kh), i64(kw), i64(stride), i64(count), i64(W), i64(B), s.requant_latency));
    c[counter::vector_lane_ops] += count * W * (taps + 1);
    c[counter::param_reads] += W;
    c[counter::ibuf_reads] += taps + kh * columns;
    c[writes_obuf ? counter::obuf_writes : counter::ibuf_writes] += count;
    return cost;
  }
  std::uint64_t reads_per_word = 0;
  switch (op) {
    case isa::VectorOp::requant: reads_per_word = 1; break;
    case isa::VectorOp::add: reads_per_word = 2; break;
    case isa::VectorOp::dwconv: reads_per_word = 2 * taps; break;
    case isa::VectorOp::maxpool:
    case isa::VectorOp::avgpool: reads_per_word = taps; break;
  }
  const auto per_word = static_cast<std::uint64_t>(isa::vector_word_cycles(op, i64(B), i64(taps), s.requant_latency));
  const std::uint64_t tail = op == isa::VectorOp::add && B == 1 ? static_cast<std::uint64_t>(isa::vector_streaming_add_tail(s.requant_latency)) : 0;
  cost.busy_cycles = param_load + count * per_word + tail;
  const bool windowed = op != isa::VectorOp::requant && op != isa::VectorOp::add;
  c[counter::vector_lane_ops] += count * W * (windowed ? taps + 1 : 1);
  if (param_load != 0) c[counter::param_reads] += W;
  c[requant ? counter::obuf_reads : counter::ibuf_reads] += count * reads_per_word;
  c[writes_obuf ? counter::obuf_writes : counter::ibuf_writes] += count;
  return cost;
}

}  // namespace

UnitShapes unit_shapes(const AcceleratorConfig& config) {
  UnitShapes s;
  s.rows = config.array.rows;
  s.cols = config.array.cols;
  s.lanes = config.vector.lanes;
  s.depthwise_kernel = config.vector.depthwise_kernel;
  s.bytes_per_cycle = config.dram.bytes_per_cycle;
  s.banks = config.buffers.banks;
  s.output_stationary = config.array.dataflow == Dataflow::output_stationary;
  s.output_requantizer = config.array.requantizer == OutputRequantizer::pipelined;
  s.requant_latency = config.requant_latency;
  s.read_latency = static_cast<std::uint64_t>(std::max(1, config.dram.latency_cycles));
  return s;
}

InstructionCost account_instruction(const isa::Instruction& insn, const UnitShapes& shapes,
                                    Counters& counters) {
  switch (opcode(insn)) {
    case isa::Opcode::load: return dma_cost(insn, false, shapes, counters);
    case isa::Opcode::store: return dma_cost(insn, true, shapes, counters);
    case isa::Opcode::loadw: return array_cost(insn, false, shapes, counters);
    case isa::Opcode::matmul: return array_cost(insn, true, shapes, counters);
    case isa::Opcode::vector: return vector_cost(insn, shapes, counters);
    case isa::Opcode::vset: {
      InstructionCost cost;
      cost.waits_for = 1u << unit_vector;
      return cost;
    }
    case isa::Opcode::sync: {
      InstructionCost cost;
      cost.waits_for = static_cast<std::uint8_t>(field(insn, isa::field::mask));
      return cost;
    }
    default: return {};  // NOP and unassigned opcodes complete at dispatch
  }
}

}  // namespace tandem::analytic
