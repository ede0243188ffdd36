// t_energy: the technology file (defaults, bad-input goldens in tests/data/technology/bad,
// regenerated with TANDEM_UPDATE_GOLDEN=1), and the energy and area models on cases worked out
// on paper with the default 45 nm numbers.
#include <algorithm>

#include <catch2/catch.hpp>

#include "core/input_error.h"
#include "golden_file.h"
#include "analytic/analytic_model.h"
#include "cost/cost.h"
#include "analytic_programs.h"

using namespace tandem;

namespace {

std::string error_of(const std::string& file) {
  return test::input_error_of([&] { load_technology_file(file); });
}

// 4x4 weight-stationary, 4 KiB buffers in 2 banks: IBUF and WBUF words of 4 bytes (1024
// words, 2 KiB banks), OBUF words of 16 bytes (256 words, 2 KiB banks), PARAM 8 entries.
AcceleratorConfig square_config() {
  AcceleratorConfig c;
  c.array = {4, 4, Dataflow::weight_stationary};
  c.buffers = {4, 4, 4, 2};
  c.vector.lanes = 4;
  c.dram = {8, 20};
  c.clock_mhz = 500;
  return c;
}

}  // namespace

TEST_CASE("t_energy: the shipped default is technology/horowitz_45nm.yaml", "[energy]") {
  const Technology& t = default_technology();
  const Technology file = load_technology_file("technology/horowitz_45nm.yaml");
  CHECK(t.name == "horowitz_45nm");
  CHECK(file.name == t.name);
  CHECK(t.node_nm == 45);
  // Horowitz (ISSCC 2014) figures, as the file cites them.
  CHECK(t.energy_pj.int8_multiply == 0.2);
  CHECK(t.energy_pj.int8_add == 0.03);
  CHECK(t.energy_pj.int32_add == 0.1);
  CHECK(t.energy_pj.int32_multiply == 3.1);
  CHECK(t.energy_pj.sram.read == 10);
  CHECK(file.energy_pj.dram_per_byte == t.energy_pj.dram_per_byte);
  CHECK(file.area_um2.sram_bit == t.area_um2.sram_bit);
}

TEST_CASE("t_energy: SRAM access energy scales with sqrt(bank capacity) and word width", "[energy]") {
  const Technology& t = default_technology();
  CHECK(sram_access_pj(10, 8, 8, t) == Approx(10));    // Horowitz: 64-bit word, 8 KB
  CHECK(sram_access_pj(10, 8, 32, t) == Approx(20));   // Horowitz: 32 KB, 20 pJ
  CHECK(sram_access_pj(10, 8, 1024, t) == Approx(113.137).epsilon(1e-4));  // Horowitz: 1 MB, 100 pJ
  CHECK(sram_access_pj(10, 4, 2, t) == Approx(2.5));   // half the width, a quarter the capacity
}

TEST_CASE("t_energy: area of a 4x4 array, worked out by hand", "[energy]") {
  const AreaBreakdown a = estimate_area(square_config(), default_technology());
  // PE: 8-bit multiplier 282 + 32-bit adder 137 + 66 flip-flops x 4.522 = 717.452 um^2
  // (weight-stationary: 48 + two shadow weights + token and bank).
  CHECK(a.array == Approx(16 * 717.452 / 1e6));
  // IBUF: 32768 bits x 0.346 / 0.6 + 2 banks x 2000 = 22896.53 um^2.
  CHECK(a.ibuf == Approx((32768 * 0.346 / 0.6 + 4000) / 1e6));
  CHECK(a.wbuf == Approx(a.ibuf));
  CHECK(a.obuf == Approx(a.ibuf));
  // PARAM: 8 entries x 12 bytes = 768 bits, one bank.
  CHECK(a.param == Approx((768 * 0.346 / 0.6 + 2000) / 1e6));
  CHECK(a.total() == Approx(a.logic() + a.buffers()));
  // Requantizer: 4 lanes x (int32 multiplier 3495 + 2 adders x 137 + 134 flip-flops x 4.522).
  CHECK(a.requantizer == Approx(4 * (3495 + 2 * 137 + 134 * 4.522) / 1e6));
  CHECK(a.components().size() == 9);
  // The vector unit's sliding-window DWCONV datapath (depthwise_kernel 3, R = 4): 12 slots'
  // multiply-accumulates (282 + 137 + 32 flip-flops x 4.522) and 3 x 3 x 4 weight bytes.
  AcceleratorConfig with = square_config(), without = square_config();
  with.vector.depthwise_kernel = 3;
  without.vector.depthwise_kernel = 0;
  const double datapath = 12 * (282 + 137 + 32 * 4.522) + 9 * 4 * 8 * 4.522;
  CHECK(estimate_area(with, default_technology()).vector - estimate_area(without, default_technology()).vector ==
        Approx(datapath / 1e6));
}

TEST_CASE("t_energy: energy of one MATMUL, worked out by hand", "[energy]") {
  // A layer small enough to count on paper: LOADW + MATMUL len 5 on the 4x4 array.
  std::map<std::string, std::uint64_t> counters;
  for (const std::string& name : isa::counter_names()) counters[name] = 0;
  counters["cycles"] = 24;
  counters["macs"] = 5 * 16;
  counters["ibuf_reads"] = 5;
  counters["wbuf_reads"] = 4;
  counters["obuf_writes"] = 5;
  counters["dram_read_bytes"] = 100;
  counters["vector_lane_ops"] = 10;
  const Technology& t = default_technology();
  const EnergyBreakdown e = estimate_energy(square_config(), counters, t);
  // MAC: 0.2 (int8 mult) + 0.1 (int32 add) + 5 bytes x 0.05 (registers, weight-stationary).
  CHECK(e.array == Approx(80 * 0.55));
  // 4-byte words in 2 KiB banks: 10 x 4/8 x sqrt(2/8) = 2.5 pJ; 16-byte: 10 x 2 x 0.5 = 10.
  CHECK(e.buffers == Approx(5 * 2.5 + 4 * 2.5 + 5 * 10));
  CHECK(e.dram == Approx(100 * 243.75));
  CHECK(e.vector == Approx(10 * 3.2));
  // Static: area x 24 cycles x (5 mW/mm^2 at 500 MHz = 10 pJ/mm^2/cycle, + 2 clock).
  const double mm2 = estimate_area(square_config(), t).total();
  CHECK(e.static_energy == Approx(mm2 * 24 * 12));
  CHECK(e.total() == Approx(e.array + e.buffers + e.dram + e.vector + e.static_energy));
  EnergyBreakdown twice = e;
  twice += e;
  CHECK(twice.total() == Approx(2 * e.total()));
}

TEST_CASE("t_energy: the same code prices analytic counters", "[energy]") {
  const auto cases = test::hand_cases();
  const auto found = std::find_if(cases.begin(), cases.end(),
                                  [](const test::HandCase& c) { return c.name == "WS LOADW + MATMUL len 5"; });
  REQUIRE(found != cases.end());
  const test::HandCase& hand = *found;
  const AnalyticResult model = evaluate_analytic(hand.program);
  const EnergyBreakdown e = estimate_energy(hand.program.config, model.counters, default_technology());
  CHECK(e.array == Approx(120 * 0.55));
  CHECK(e.dram == 0);
  CHECK(e.static_energy > 0);
}

TEST_CASE("t_energy: every bad technology file gives its golden one-line error", "[energy][bad]") {
  CHECK(test::check_bad_input_goldens("tests/data/technology/bad", {".yaml"}, error_of) >= 10);
}

TEST_CASE("t_energy: a missing technology file names the file", "[energy][bad]") {
  CHECK(error_of("tests/data/technology/none.yaml") ==
        "tests/data/technology/none.yaml: error: cannot open file: No such file or directory\n");
}
