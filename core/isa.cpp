#include "core/isa.h"

#include <cctype>
#include <stdexcept>

namespace tandem::isa {

const std::vector<Field>& all_fields() {
  using namespace field;
  static const std::vector<Field> fields = {
      opcode, buf, narrow, sp_addr, dram_addr, rows, row_words, dram_pitch, w_addr, acc,
      a_addr, b_addr, c_addr, len, a_stride, zp_a, zp_b, zp_out, clamp_lo, clamp_hi, m_a, m_b,
      col_step, param_base, out_step, vop, src, src2, dst, count, kh, kw, row_pitch, mask};
  return fields;
}

const std::vector<std::string>& counter_names() {
  static const std::vector<std::string> names = {
      "cycles", "idle_cycles", "dispatch_stall_cycles", "dma_busy_cycles", "array_busy_cycles",
      "vector_busy_cycles", "macs", "zero_operand_macs", "ibuf_reads", "ibuf_writes",
      "wbuf_reads", "wbuf_writes", "obuf_reads", "obuf_writes", "param_reads", "param_writes",
      "dram_read_bytes", "dram_write_bytes", "vector_lane_ops", "instructions",
      "stall_on_dma_cycles", "stall_on_array_cycles", "stall_on_vector_cycles"};
  return names;
}

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
  const std::pair<const char*, Opcode> opcodes[] = {
      {"NOP", Opcode::nop},       {"LOAD", Opcode::load},     {"STORE", Opcode::store},
      {"LOADW", Opcode::loadw},   {"MATMUL", Opcode::matmul}, {"VSET", Opcode::vset},
      {"VECTOR", Opcode::vector}, {"SYNC", Opcode::sync}};
  for (const auto& [name, op] : opcodes) {
    define(std::string("TANDEM_OP_") + name, "4'd" + std::to_string(static_cast<int>(op)));
  }
  const std::pair<const char*, Buffer> buffers[] = {
      {"IBUF", Buffer::ibuf}, {"WBUF", Buffer::wbuf}, {"OBUF", Buffer::obuf}, {"PARAM", Buffer::param}};
  for (const auto& [name, id] : buffers) {
    define(std::string("TANDEM_BUF_") + name, "3'd" + std::to_string(static_cast<int>(id)));
  }
  const std::pair<const char*, VectorOp> vops[] = {{"REQUANT", VectorOp::requant},
                                                   {"DWCONV", VectorOp::dwconv},
                                                   {"MAXPOOL", VectorOp::maxpool},
                                                   {"AVGPOOL", VectorOp::avgpool},
                                                   {"ADD", VectorOp::add}};
  for (const auto& [name, op] : vops) {
    define(std::string("TANDEM_VOP_") + name, "4'd" + std::to_string(static_cast<int>(op)));
  }
  for (const auto& f : all_fields()) {
    define(std::string("TANDEM_F_") + f.name,
           std::to_string(f.lsb + f.width - 1) + ":" + std::to_string(f.lsb));
  }
  define("TANDEM_NUM_COUNTERS", std::to_string(counter_names().size()));
  for (std::size_t i = 0; i < counter_names().size(); ++i) {
    std::string upper;
    for (char c : counter_names()[i]) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    define("TANDEM_CSR_" + upper, std::to_string(i));
  }
  return text + "`endif\n";
}

}  // namespace tandem::isa
