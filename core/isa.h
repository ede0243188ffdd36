// The accelerator's instruction set, defined once: opcodes, buffer ids, vector ops, units,
// activity counters and the field layout. The compiler encodes with it, the executors and the
// analytic model decode with it, and the other artefacts are derived from it: the Verilog
// header rtl/tandem_isa.vh (verilog_header()), the co-simulation harness's counter indices and
// the handoff testbench's CSR addresses. tandem_top's ports are in core/host_interface.h.
// docs/isa.md describes the semantics.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

// Each list is the one place its names and codes are written: the enums below and the names
// (counter_names(), the `TANDEM_* macros of verilog_header()) expand the same list.
// X(name, code): opcodes, bits [3:0].
#define TANDEM_ISA_OPCODES(X) \
  X(nop, 0) X(load, 1) X(store, 2) X(loadw, 3) X(matmul, 4) X(vset, 5) X(vector, 6) X(sync, 7)
// X(name, id): buffer ids of LOAD/STORE; ids 4..7 are reserved.
#define TANDEM_ISA_BUFFERS(X) X(ibuf, 0) X(wbuf, 1) X(obuf, 2) X(param, 3)
// X(name, code): VECTOR vop codes, 0 .. vector_op_count-1; higher codes do nothing.
#define TANDEM_ISA_VECTOR_OPS(X) X(requant, 0) X(dwconv, 1) X(maxpool, 2) X(avgpool, 3) X(add, 4)
// X(name, index): units, by their bit in unit_busy and in SYNC's mask.
#define TANDEM_ISA_UNITS(X) X(dma, 0) X(array, 1) X(vector, 2)
// X(name): activity counters in CSR address order, from 0.
#define TANDEM_ISA_COUNTERS(X)                                                               \
  X(cycles) X(idle_cycles) X(dispatch_stall_cycles) X(dma_busy_cycles) X(array_busy_cycles) \
  X(vector_busy_cycles) X(macs) X(zero_operand_macs) X(ibuf_reads) X(ibuf_writes)           \
  X(wbuf_reads) X(wbuf_writes) X(obuf_reads) X(obuf_writes) X(param_reads) X(param_writes)  \
  X(dram_read_bytes) X(dram_write_bytes) X(vector_lane_ops) X(instructions)                \
  X(stall_on_dma_cycles) X(stall_on_array_cycles) X(stall_on_vector_cycles)             \
  X(requantizer_ops)

#define TANDEM_ISA_CODED_ENUMERATOR(name, code) name = code,
#define TANDEM_ISA_ENUMERATOR(name) name,
#define TANDEM_ISA_PLUS_ONE(...) +1

namespace tandem::isa {

// Bumped on every change of encoding or semantics (docs/isa.md, "Versions"); the generated
// header and the export manifest carry it.
inline constexpr int version = 4;

enum class Opcode : std::uint8_t { TANDEM_ISA_OPCODES(TANDEM_ISA_CODED_ENUMERATOR) };

enum class Buffer : std::uint8_t { TANDEM_ISA_BUFFERS(TANDEM_ISA_CODED_ENUMERATOR) };

enum class VectorOp : std::uint8_t { TANDEM_ISA_VECTOR_OPS(TANDEM_ISA_CODED_ENUMERATOR) };
inline constexpr int vector_op_count = 0 TANDEM_ISA_VECTOR_OPS(TANDEM_ISA_PLUS_ONE);

// Units and counters are indices (arrays of per-unit state, counter slots): plain enums in
// their own namespaces, e.g. isa::unit::dma, isa::counter::macs, isa::counter::count.
namespace unit {
enum Index : int {
  TANDEM_ISA_UNITS(TANDEM_ISA_CODED_ENUMERATOR)
  count = 0 TANDEM_ISA_UNITS(TANDEM_ISA_PLUS_ONE)
};
}  // namespace unit

enum SyncMask : std::uint8_t {
  sync_dma = 1 << unit::dma,
  sync_array = 1 << unit::array,
  sync_vector = 1 << unit::vector,
};

namespace counter {
enum Index : int { TANDEM_ISA_COUNTERS(TANDEM_ISA_ENUMERATOR) count };
}  // namespace counter

inline constexpr int instruction_bits = 128;  // Instruction holds two 64-bit words
inline constexpr int counter_bits = 64;       // every counter, and csr_rdata
// Width of csr_addr: enough bits to address every counter.
inline constexpr int csr_address_bits = [] {
  int bits = 1;
  while ((1 << bits) < counter::count) ++bits;
  return bits;
}();

// A bit field of the 128-bit instruction word.
struct Field {
  const char* name;  // also the Verilog macro suffix: `TANDEM_F_<NAME>
  int lsb;
  int width;
  bool is_signed = false;
};

// Field layout. Fields of different opcodes overlap; each opcode uses the ones docs/isa.md lists.
namespace field {
inline constexpr Field opcode{"OPCODE", 0, 4};
// LOAD / STORE
inline constexpr Field buf{"BUF", 4, 3};
inline constexpr Field narrow{"NARROW", 7, 1};
inline constexpr Field sp_addr{"SP_ADDR", 8, 24};
inline constexpr Field dram_addr{"DRAM_ADDR", 32, 32};
inline constexpr Field rows{"ROWS", 64, 16};
inline constexpr Field row_words{"ROW_WORDS", 80, 16};
inline constexpr Field dram_pitch{"DRAM_PITCH", 96, 32};
// LOADW
inline constexpr Field w_addr{"W_ADDR", 8, 24};
// MATMUL
inline constexpr Field acc{"ACC", 4, 1};
inline constexpr Field requant{"REQUANT", 5, 1};  // requantize on the way out (pipelined requantizer)
inline constexpr Field a_addr{"A_ADDR", 8, 24};
inline constexpr Field b_addr{"B_ADDR", 32, 24};
inline constexpr Field c_addr{"C_ADDR", 56, 24};
inline constexpr Field len{"LEN", 80, 16};
inline constexpr Field a_stride{"A_STRIDE", 96, 16};
// VSET
inline constexpr Field zp_a{"ZP_A", 8, 8, true};
inline constexpr Field zp_b{"ZP_B", 16, 8, true};
inline constexpr Field zp_out{"ZP_OUT", 24, 8, true};
inline constexpr Field clamp_lo{"CLAMP_LO", 32, 8, true};
inline constexpr Field clamp_hi{"CLAMP_HI", 40, 8, true};
inline constexpr Field m_a{"M_A", 48, 16, true};
inline constexpr Field m_b{"M_B", 64, 16, true};
inline constexpr Field col_step{"COL_STEP", 80, 16};
inline constexpr Field param_base{"PARAM_BASE", 96, 16};
inline constexpr Field out_step{"OUT_STEP", 112, 16};
// VECTOR
inline constexpr Field vop{"VOP", 4, 3};
inline constexpr Field to_obuf{"TO_OBUF", 7, 1};  // DWCONV, pools, ADD: results to OBUF, not IBUF
inline constexpr Field src{"SRC", 8, 24};
inline constexpr Field src2{"SRC2", 32, 24};
inline constexpr Field dst{"DST", 56, 24};
inline constexpr Field count{"COUNT", 80, 16};
inline constexpr Field kh{"KH", 96, 4};
inline constexpr Field kw{"KW", 100, 4};
inline constexpr Field row_pitch{"ROW_PITCH", 104, 20};
inline constexpr Field stride{"STRIDE", 124, 4};  // DWCONV: columns between output windows
// SYNC
inline constexpr Field mask{"MASK", 4, 3};
}  // namespace field

// Whether a DWCONV runs on the vector unit's sliding-window datapath (docs/isa.md, VECTOR):
// `beats` = ceil(R / lanes), `depthwise_kernel` = vector.depthwise_kernel. The analytic model
// times it, the compiler estimates with it; tandem_vector_unit.v decides the same in hardware.
inline bool dwconv_slides(std::int64_t kh, std::int64_t kw, std::int64_t stride, std::int64_t beats,
                          int depthwise_kernel) {
  return kh >= 1 && kw >= 1 && kh <= depthwise_kernel && kw <= depthwise_kernel && stride >= 1 &&
         beats <= kh * stride;
}

// Busy cycles of the vector unit (tandem_vector_unit.v's header, docs/isa.md VECTOR): one
// definition for the analytic model, which times programs with them, and the compiler, which
// estimates with them. `beats` = ceil(W / lanes) for words of W elements, `taps` = kh * kw,
// `requant_latency` = the configuration's requant_latency: cycles from a value entering the
// requantizer (tandem_requant.v) to its int8 result.
//
// Per output word of a VECTOR that does not slide: the reads and compute beats of every tap,
// the requant beats, the requantizer's latency after the last beat, and the write. A
// streaming ADD (one beat per word) takes 2 per word, plus vector_streaming_add_tail once.
inline std::int64_t vector_word_cycles(VectorOp op, std::int64_t beats, std::int64_t taps,
                                       std::int64_t requant_latency) {
  switch (op) {
    case VectorOp::requant: return beats + 3 + requant_latency;
    case VectorOp::add: return beats == 1 ? 2 : beats + 4 + requant_latency;
    case VectorOp::dwconv: return taps * (beats + 3) + beats + 1 + requant_latency;
    case VectorOp::maxpool:
    case VectorOp::avgpool: return taps * (beats + 2) + beats + 1 + requant_latency;
  }
  return 0;
}
// The streaming ADD ends this long after its last read: capture, requant beat, the
// requantizer's latency, write.
inline std::int64_t vector_streaming_add_tail(std::int64_t requant_latency) { return 3 + requant_latency; }
// A sliding-window DWCONV of `count` outputs `stride` columns apart, on words of `elements`:
// PARAM and the weights load together, kh reads per swept column, then the pipeline (read,
// multiply, accumulate), the requant beats, the requantizer's latency and the last write.
inline std::int64_t sliding_dwconv_cycles(std::int64_t kh, std::int64_t kw, std::int64_t stride,
                                          std::int64_t count, std::int64_t elements, std::int64_t beats,
                                          std::int64_t requant_latency) {
  return std::max(elements, kh * kw) + 1 + kh * ((count - 1) * stride + kw) + beats + 4 + requant_latency;
}

// Every field, for emitting the Verilog header and for documentation checks.
const std::vector<Field>& all_fields();

// Activity counter names, indexed by CSR address (isa::counter::Index).
const std::vector<std::string>& counter_names();

// Upper-case names as docs/isa.md writes them ("MATMUL", "DMA"), for diagnoses; "invalid" for a
// code that names nothing.
std::string opcode_name(int code);
std::string unit_name(int index);

// One 128-bit instruction: word[0] holds bits 63..0, word[1] bits 127..64.
class Instruction {
 public:
  Instruction() = default;
  explicit Instruction(Opcode op) { set(field::opcode, static_cast<std::int64_t>(op)); }

  // Throws std::out_of_range if the value does not fit the field.
  Instruction& set(const Field& f, std::int64_t value);
  std::int64_t get(const Field& f) const;  // sign-extended for signed fields
  Opcode opcode() const { return static_cast<Opcode>(get(field::opcode)); }

  const std::array<std::uint64_t, 2>& words() const { return words_; }
  std::string hex() const;  // 32 hex digits, most significant first

  friend bool operator==(const Instruction& a, const Instruction& b) { return a.words_ == b.words_; }

 private:
  std::array<std::uint64_t, 2> words_{};
};

// The Verilog include (rtl/tandem_isa.vh): opcodes, buffer ids, vector ops, units, counter
// addresses and field ranges as macros.
std::string verilog_header();

}  // namespace tandem::isa
