// t_rtl_tools: generated RTL across the declared space lints clean under
// `verilator --lint-only -Wall` and compiles under `iverilog -g2012`.
#include <catch2/catch.hpp>

#include <fstream>

#include "core/accelerator_sampling.h"
#include "rtl_config_matrix.h"
#include "rtl_package.h"

using namespace tandem;

namespace {

void check_tools_accept(const AcceleratorConfig& config, const std::string& name,
                        const GeneratorOptions& options = {}) {
  INFO(name << ": " << canonical_text(config));
  const auto dir = test::generate_test_package(config, "t_rtl_tools/" + name, options);
  const auto lint = test::run_in(dir, "verilator --lint-only -Wall -Irtl -f filelist.f --top-module tandem_top");
  INFO("verilator: " << lint.err << lint.out);
  CHECK(lint.exit_code == 0);
  CHECK(lint.err.empty());
  const auto icarus = test::run_in(dir, "iverilog -g2012 -Irtl -c filelist.f -s tandem_top -o tandem_top.vvp");
  INFO("iverilog: " << icarus.err << icarus.out);
  CHECK(icarus.exit_code == 0);
  CHECK(icarus.err.find("error") == std::string::npos);
}

// 20 random points of the full declared space, fixed seed, in four groups so that CTest can
// run them in parallel.
void check_random_points(int group) {
  std::mt19937_64 rng(20261127);
  for (int i = 0; i < 20; ++i) {
    AcceleratorConfig config = sample_accelerator(rng, SampleRange::full_range);
    // One core: meshes of up to 8x8 cores of up to 64x64 arrays would take the tools many
    // times as long; the mesh's own ports and instances are the case above.
    config.mesh = {};
    if (i % 4 == group) check_tools_accept(config, "random point " + std::to_string(i));
  }
}

}  // namespace

TEST_CASE("t_rtl_tools: corner configurations lint and compile", "[rtl][tools]") {
  for (const auto& [name, config] : test::corner_configs()) {
    SECTION(name) { check_tools_accept(config, name); }
  }
}

// The FPGA variants (docs/handoff.md): only the cycles counter, PE multipliers in logic.
TEST_CASE("t_rtl_tools: generator options lint and compile", "[rtl][tools]") {
  GeneratorOptions lean;
  lean.activity_counters = false;
  for (const auto& [name, config] : test::corner_configs()) {
    lean.logic_multipliers = config.array.rows * config.array.cols / 2;
    SECTION(name) { check_tools_accept(config, name + "_lean", lean); }
  }
}

// Meshes (docs/mesh.md): every core's ports, prefixed, on one tandem_top.
TEST_CASE("t_rtl_tools: meshes of cores lint and compile", "[rtl][tools][mesh]") {
  AcceleratorConfig row = test::make_config(2, 3, Dataflow::weight_stationary, 1, 1, 2, 4);
  row.mesh = {3, 1};
  AcceleratorConfig square = test::make_config(4, 4, Dataflow::output_stationary, 2, 2, 4, 8);
  square.mesh = {2, 2};
  SECTION("3x1 mesh of 2x3 cores") { check_tools_accept(row, "mesh_3x1"); }
  SECTION("2x2 mesh of 4x4 cores") { check_tools_accept(square, "mesh_2x2"); }
}

TEST_CASE("t_rtl_tools: random points 0, 4, 8, ... lint and compile", "[rtl][tools]") { check_random_points(0); }
TEST_CASE("t_rtl_tools: random points 1, 5, 9, ... lint and compile", "[rtl][tools]") { check_random_points(1); }
TEST_CASE("t_rtl_tools: random points 2, 6, 10, ... lint and compile", "[rtl][tools]") { check_random_points(2); }
TEST_CASE("t_rtl_tools: random points 3, 7, 11, ... lint and compile", "[rtl][tools]") { check_random_points(3); }

// The scratchpad's memories are declared no_rw_check (synthesis may return either word on a
// same-word read and write in one cycle), so simulation must stop if a unit ever does that.
// The port is two words wide (the DMA's groups): lane 1 of a write at address 4 is word 5, and
// a masked-off lane writes nothing.
TEST_CASE("t_rtl_tools: a same-word read and write in one cycle stops the simulation", "[rtl][tools]") {
  const auto dir = test::generate_test_package(test::corner_configs().front().config, "t_rtl_tools_collision");
  auto run = [&](int read_address) {
    std::ofstream tb(dir / "collision_tb.sv");
    tb << "module collision_tb;\n"
          "  logic clk = 0;\n"
          "  logic [1:0] wmask = 0, rmask = 0;\n"
          "  logic [3:0] waddr = 0, raddr = 0;\n"
          "  logic [15:0] wdata = 0, rdata;\n"
          "  tandem_scratchpad #(.WORD_BITS(8), .DEPTH(16), .BANKS(2), .PORT_WORDS(2), .AW(4)) sp (\n"
          "      .clk(clk), .wmask(wmask), .waddr(waddr), .wdata(wdata), .rmask(rmask), .raddr(raddr), .rdata(rdata));\n"
          "  always #5 clk = ~clk;\n"
          "  initial begin\n"
          "    @(negedge clk); wmask = 2'b10; waddr = 4; wdata = 16'h2a00; rmask = 2'b01; raddr = "
       << read_address << ";\n"
          "    @(negedge clk); wmask = 0; rmask = 2'b11; raddr = 4;\n"
          "    @(negedge clk); rmask = 0; $display(\"WORD5 %0h\", rdata[15:8]);\n"
          "    @(negedge clk); $display(\"DONE\"); $finish;\n"
          "  end\n"
          "endmodule\n";
    tb.close();
    return test::run_in(dir, "iverilog -g2012 -Irtl -o collision.vvp rtl/tandem_scratchpad.v collision_tb.sv && vvp -n collision.vvp");
  };
  for (int other : {4, 7}) {
    const auto other_word = run(other);
    INFO("read address " << other << "\n" << other_word.out << other_word.err);
    CHECK(other_word.exit_code == 0);
    CHECK(other_word.out.find("WORD5 2a") != std::string::npos);
    CHECK(other_word.out.find("DONE") != std::string::npos);
  }
  const auto same_word = run(5);
  INFO(same_word.out << same_word.err);
  CHECK(same_word.exit_code != 0);
  CHECK(same_word.out.find("read and write of word 5 in one cycle") != std::string::npos);
  CHECK(same_word.out.find("DONE") == std::string::npos);
}
