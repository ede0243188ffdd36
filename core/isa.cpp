#include "core/isa.h"

#include <cctype>
#include <stdexcept>

namespace tandem::isa {

namespace {

std::string upper(const std::string& name) {
  std::string text;
  for (char c : name) text += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// A code as a Verilog literal of its field's width, e.g. 4'd6.
std::string sized(const Field& f, int code) {
  return std::to_string(f.width) + "'d" + std::to_string(code);
}

// (name, code) of one of the lists in isa.h; constant-initialized, so usable at any time.
struct Code {
  const char* name;
  int value;
};
#define TANDEM_ISA_CODE(name, code) Code{#name, code},
constexpr Code kOpcodes[] = {TANDEM_ISA_OPCODES(TANDEM_ISA_CODE)};
constexpr Code kBuffers[] = {TANDEM_ISA_BUFFERS(TANDEM_ISA_CODE)};
constexpr Code kVectorOps[] = {TANDEM_ISA_VECTOR_OPS(TANDEM_ISA_CODE)};
constexpr Code kUnits[] = {TANDEM_ISA_UNITS(TANDEM_ISA_CODE)};
#undef TANDEM_ISA_CODE

template <std::size_t N>
std::string name_of(const Code (&codes)[N], int value) {
  for (const Code& code : codes) {
    if (code.value == value) return upper(code.name);
  }
  return "invalid";
}

}  // namespace

const std::vector<Field>& all_fields() {
  using namespace field;
  static const std::vector<Field> fields = {
      opcode, buf, narrow, sp_addr, dram_addr, rows, row_words, dram_pitch, w_addr, acc, requant,
      a_addr, b_addr, c_addr, len, a_stride, zp_a, zp_b, zp_out, clamp_lo, clamp_hi, m_a, m_b,
      col_step, param_base, out_step, vop, to_obuf, src, src2, dst, count, kh, kw, row_pitch, stride, mask};
  return fields;
}

const std::vector<std::string>& counter_names() {
#define TANDEM_ISA_NAME(name) #name,
  static const std::vector<std::string> names = {TANDEM_ISA_COUNTERS(TANDEM_ISA_NAME)};
#undef TANDEM_ISA_NAME
  return names;
}

std::string opcode_name(int code) { return name_of(kOpcodes, code); }
std::string unit_name(int index) { return name_of(kUnits, index); }

Instruction& Instruction::set(const Field& f, std::int64_t value) {
  const std::int64_t lo = f.is_signed ? -(std::int64_t{1} << (f.width - 1)) : 0;
  const std::int64_t hi = f.is_signed ? (std::int64_t{1} << (f.width - 1)) - 1
                                      : (f.width >= 63 ? INT64_MAX : (std::int64_t{1} << f.width) - 1);
  if (value < lo || value > hi) {
    throw std::out_of_range(std::string("instruction field ") + f.name + " cannot hold " +
                            std::to_string(value) + " (range " + std::to_string(lo) + ".." +
                            std::to_string(hi) + ")");
  }
  const std::uint64_t bits = static_cast<std::uint64_t>(value);
  for (int i = 0; i < f.width; ++i) {
    const int bit = f.lsb + i;
    const std::uint64_t mask = std::uint64_t{1} << (bit % 64);
    std::uint64_t& word = words_[static_cast<std::size_t>(bit / 64)];
    word = ((bits >> i) & 1) ? (word | mask) : (word & ~mask);
  }
  return *this;
}

std::int64_t Instruction::get(const Field& f) const {
  std::uint64_t bits = 0;
  for (int i = 0; i < f.width; ++i) {
    const int bit = f.lsb + i;
    bits |= ((words_[static_cast<std::size_t>(bit / 64)] >> (bit % 64)) & 1) << i;
  }
  if (f.is_signed && ((bits >> (f.width - 1)) & 1)) {
    return static_cast<std::int64_t>(bits) - (std::int64_t{1} << f.width);
  }
  return static_cast<std::int64_t>(bits);
}

std::string Instruction::hex() const {
  static const char digits[] = "0123456789abcdef";
  std::string text;
  for (int word = 1; word >= 0; --word) {
    for (int nibble = 15; nibble >= 0; --nibble) {
      text += digits[(words_[static_cast<std::size_t>(word)] >> (nibble * 4)) & 0xF];
    }
  }
  return text;
}

std::string verilog_header() {
  std::string text =
      "// Instruction set constants, generated from core/isa.h (see docs/isa.md).\n"
      "`ifndef TANDEM_ISA_VH\n`define TANDEM_ISA_VH\n";
  auto define = [&](const std::string& name, const std::string& value) {
    text += "`define " + name + " " + value + "\n";
  };
  // Codes as literals of their field's width, so that RTL compares them without casts.
  auto define_codes = [&](const std::string& prefix, const auto& codes, const Field& f) {
    for (const Code& code : codes) define(prefix + upper(code.name), sized(f, code.value));
  };
  define("TANDEM_ISA_VERSION", std::to_string(version));
  define_codes("TANDEM_OP_", kOpcodes, field::opcode);
  define_codes("TANDEM_BUF_", kBuffers, field::buf);
  define_codes("TANDEM_VOP_", kVectorOps, field::vop);
  define("TANDEM_VOP_LAST", sized(field::vop, vector_op_count - 1));  // higher vops do nothing
  // Units are bit indices into unit_busy and SYNC's mask: plain numbers.
  for (const Code& code : kUnits) define("TANDEM_UNIT_" + upper(code.name), std::to_string(code.value));
  define("TANDEM_NUM_UNITS", std::to_string(unit::count));
  for (const auto& f : all_fields()) {
    define(std::string("TANDEM_F_") + f.name,
           std::to_string(f.lsb + f.width - 1) + ":" + std::to_string(f.lsb));
  }
  define("TANDEM_NUM_COUNTERS", std::to_string(counter::count));
  for (std::size_t i = 0; i < counter_names().size(); ++i) {
    define("TANDEM_CSR_" + upper(counter_names()[i]), std::to_string(i));
  }
  return text + "`endif\n";
}

}  // namespace tandem::isa
