// t_isa: the instruction layout is consistent (fields of one opcode never overlap), encoding
// round-trips, the names follow the codes, and the Verilog header carries every field and code.
#include <catch2/catch.hpp>

#include <map>

#include "core/isa.h"

using namespace tandem::isa;

TEST_CASE("t_isa: the fields of each opcode fit and do not overlap", "[isa]") {
  using namespace field;
  const std::map<std::string, std::vector<Field>> used = {
      {"LOAD/STORE", {opcode, buf, narrow, sp_addr, dram_addr, rows, row_words, dram_pitch}},
      {"LOADW", {opcode, w_addr}},
      {"MATMUL", {opcode, acc, a_addr, b_addr, c_addr, len, a_stride}},
      {"VSET", {opcode, zp_a, zp_b, zp_out, clamp_lo, clamp_hi, m_a, m_b, col_step, param_base, out_step}},
      {"VECTOR", {opcode, vop, src, src2, dst, count, kh, kw, row_pitch}},
      {"SYNC", {opcode, mask}},
  };
  for (const auto& [name, fields] : used) {
    INFO(name);
    std::vector<bool> taken(128, false);
    for (const Field& f : fields) {
      INFO(f.name);
      REQUIRE(f.lsb >= 0);
      REQUIRE(f.lsb + f.width <= 128);
      for (int bit = f.lsb; bit < f.lsb + f.width; ++bit) {
        CHECK_FALSE(taken[static_cast<std::size_t>(bit)]);
        taken[static_cast<std::size_t>(bit)] = true;
      }
    }
  }
}

TEST_CASE("t_isa: instructions round-trip every field, signed ones too", "[isa]") {
  Instruction vset(Opcode::vset);
  vset.set(field::zp_a, -128).set(field::zp_out, 127).set(field::m_a, -32768).set(field::m_b, 12345);
  vset.set(field::out_step, 65535).set(field::clamp_lo, -1);
  CHECK(vset.opcode() == Opcode::vset);
  CHECK(vset.get(field::zp_a) == -128);
  CHECK(vset.get(field::zp_out) == 127);
  CHECK(vset.get(field::m_a) == -32768);
  CHECK(vset.get(field::m_b) == 12345);
  CHECK(vset.get(field::out_step) == 65535);
  CHECK(vset.get(field::clamp_lo) == -1);
  CHECK(vset.get(field::zp_b) == 0);

  Instruction load(Opcode::load);
  load.set(field::dram_addr, 0xFFFFFFFFLL).set(field::dram_pitch, 0x80000001LL).set(field::rows, 3);
  CHECK(load.get(field::dram_addr) == 0xFFFFFFFFLL);
  CHECK(load.get(field::dram_pitch) == 0x80000001LL);
  CHECK(load.hex().size() == 32);
  CHECK(load.hex().substr(0, 8) == "80000001");  // bits 127..96

  CHECK_THROWS_AS(Instruction(Opcode::sync).set(field::mask, 8), std::out_of_range);
  CHECK_THROWS_AS(Instruction(Opcode::vset).set(field::zp_a, 128), std::out_of_range);
  CHECK_THROWS_AS(Instruction(Opcode::load).set(field::rows, -1), std::out_of_range);
}

TEST_CASE("t_isa: the Verilog header defines every field, opcode and counter", "[isa]") {
  const std::string header = verilog_header();
  for (const Field& f : all_fields()) {
    CHECK_THAT(header, Catch::Contains(std::string("`define TANDEM_F_") + f.name + " " +
                                       std::to_string(f.lsb + f.width - 1) + ":" +
                                       std::to_string(f.lsb) + "\n"));
  }
  CHECK_THAT(header, Catch::Contains("`define TANDEM_OP_MATMUL 4'd4\n"));
  CHECK_THAT(header, Catch::Contains("`define TANDEM_CSR_MACS 6\n"));
  CHECK_THAT(header, Catch::Contains("`define TANDEM_NUM_COUNTERS 24\n"));
  CHECK_THAT(header, Catch::Contains("`define TANDEM_CSR_REQUANTIZER_OPS 23\n"));
  CHECK_THAT(header, Catch::Contains("`define TANDEM_ISA_VERSION " + std::to_string(version) + "\n"));
  CHECK_THAT(header, Catch::Contains("`define TANDEM_BUF_OBUF 3'd2\n"));
  CHECK_THAT(header, Catch::Contains("`define TANDEM_VOP_ADD 3'd4\n"));
  CHECK_THAT(header, Catch::Contains("`define TANDEM_VOP_LAST 3'd4\n"));
  CHECK_THAT(header, Catch::Contains("`define TANDEM_UNIT_VECTOR 2\n"));
  CHECK_THAT(header, Catch::Contains("`define TANDEM_NUM_UNITS 3\n"));
  CHECK_THAT(header, Catch::Contains("`define TANDEM_CSR_STALL_ON_VECTOR_CYCLES 22\n"));
}

TEST_CASE("t_isa: counters, units and vector ops are numbered as docs/isa.md says", "[isa]") {
  const auto& names = counter_names();
  REQUIRE(names.size() == static_cast<std::size_t>(counter::count));
  CHECK(names[counter::cycles] == "cycles");
  CHECK(counter::macs == 6);
  CHECK(names[counter::macs] == "macs");
  CHECK(counter::instructions == 19);
  CHECK(names[counter::stall_on_vector_cycles] == "stall_on_vector_cycles");
  CHECK(csr_address_bits == 5);
  CHECK(unit::count == 3);
  CHECK(sync_vector == 1 << unit::vector);
  CHECK(unit_name(unit::array) == "ARRAY");
  CHECK(unit_name(unit::count) == "invalid");
  CHECK(opcode_name(static_cast<int>(Opcode::matmul)) == "MATMUL");
  CHECK(opcode_name(15) == "invalid");
  // vop codes are 0 .. vector_op_count-1 (the RTL treats every higher code as a no-op).
  CHECK(vector_op_count == 5);
  CHECK(static_cast<int>(VectorOp::add) == vector_op_count - 1);
}
