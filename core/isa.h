// The accelerator's instruction set: opcodes and field layout, defined once. The compiler
// encodes with it, the generator emits rtl/tandem_isa.vh from it, the analytic model decodes
// with it. docs/isa.md describes the semantics.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace tandem::isa {

enum class Opcode : std::uint8_t {
  nop = 0,
  load = 1,
  store = 2,
  loadw = 3,
  matmul = 4,
  vset = 5,
  vector = 6,
  sync = 7,
};

enum class Buffer : std::uint8_t { ibuf = 0, wbuf = 1, obuf = 2, param = 3 };

enum class VectorOp : std::uint8_t { requant = 0, dwconv = 1, maxpool = 2, avgpool = 3, add = 4 };

enum SyncMask : std::uint8_t { sync_dma = 1, sync_array = 2, sync_vector = 4 };

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
inline constexpr Field vop{"VOP", 4, 4};
inline constexpr Field src{"SRC", 8, 24};
inline constexpr Field src2{"SRC2", 32, 24};
inline constexpr Field dst{"DST", 56, 24};
inline constexpr Field count{"COUNT", 80, 16};
inline constexpr Field kh{"KH", 96, 4};
inline constexpr Field kw{"KW", 100, 4};
inline constexpr Field row_pitch{"ROW_PITCH", 104, 24};
// SYNC
inline constexpr Field mask{"MASK", 4, 3};
}  // namespace field

// Every field, for emitting the Verilog header and for documentation checks.
const std::vector<Field>& all_fields();

// Activity counters readable through csr_addr, in address order (docs/isa.md).
const std::vector<std::string>& counter_names();

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

// The Verilog include with opcodes, buffer ids, vector ops and field ranges as macros.
std::string verilog_header();

}  // namespace tandem::isa
