// tandem synth's readers of tool output (handoff/handoff.h), on small made-up reports in
// the tools' formats: nextpnr's --report JSON and log, Yosys' stat.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "core/files.h"
#include "handoff/asic_route.h"
#include "handoff/handoff.h"

using tandem::nextpnr_timing;
using tandem::parse_nextpnr_utilization;
using tandem::parse_yosys_stat;

namespace {

// A critical path of nextpnr's report from clock edge `from` to `to`, its steps' delays in ns.
nlohmann::json path(const std::string& from, const std::string& to, std::initializer_list<double> delays) {
  nlohmann::json steps = nlohmann::json::array();
  for (const double delay : delays) steps.push_back({{"delay", delay}, {"type", "routing"}});
  return {{"from", from}, {"to", to}, {"path", steps}};
}

const std::string kClk = "posedge clk$SB_IO_IN_$glb_clk";
const std::string kDsp = "posedge $PACKER_GND_NET";

}  // namespace

TEST_CASE("t_synth_reports: Fmax is the slowest real clock's, without DSP paths", "[export][fast]") {
  const nlohmann::json pnr = {
      {"fmax", {{"clk_a", {{"achieved", 50.0}, {"constraint", 24}}}, {"clk_b", {{"achieved", 30.5}, {"constraint", 24}}}}},
      {"critical_paths", nlohmann::json::array({path(kClk, kClk, {10.0, 20.0})})}};
  const auto timing = nextpnr_timing(pnr);
  CHECK(timing["fmax_mhz"] == 30.5);
  CHECK_FALSE(timing.contains("fmax_through_dsps_mhz"));
  CHECK_FALSE(timing.contains("fmax_note"));
}

TEST_CASE("t_synth_reports: paths through combinational DSP blocks are joined", "[export][fast]") {
  // The constant net as a DSP "clock", with paths into, between and out of DSPs; the async path
  // and the shorter path into a DSP do not count.
  const nlohmann::json pnr = {
      {"fmax", {{"clk$SB_IO_IN_$glb_clk", {{"achieved", 8.0}, {"constraint", 24}}},
                {"$PACKER_GND_NET", {{"achieved", 2.0}, {"constraint", 24}}}}},
      {"critical_paths", nlohmann::json::array({path(kClk, kClk, {125.0}), path(kClk, kDsp, {30.0, 20.0}),
                                                path(kClk, kDsp, {10.0}), path(kDsp, kDsp, {100.0}),
                                                path(kDsp, kClk, {60.0, 40.0}), path(kDsp, "<async>", {900.0}),
                                                path("<async>", kDsp, {900.0})})}};
  const auto timing = nextpnr_timing(pnr);
  CHECK(timing["fmax_mhz"] == 8.0);  // the pseudo-clock's 2 MHz is not the design's
  REQUIRE(timing.contains("fmax_through_dsps_mhz"));
  CHECK(timing["fmax_through_dsps_mhz"].get<double>() == Approx(1000.0 / (50.0 + 100.0 + 100.0)));
  CHECK_THAT(timing["fmax_note"].get<std::string>(), Catch::Contains("not a bound"));
}

TEST_CASE("t_synth_reports: DSP paths count without a DSP-to-DSP path or the pseudo-clock's Fmax",
          "[export][fast]") {
  // nextpnr lists a clock under "fmax" only for paths that start and end on it.
  const nlohmann::json pnr = {
      {"fmax", {{"clk", {{"achieved", 20.0}, {"constraint", 24}}}}},
      {"critical_paths", nlohmann::json::array({path(kClk, kDsp, {40.0}), path(kDsp, kClk, {60.0})})}};
  const auto timing = nextpnr_timing(pnr);
  CHECK(timing["fmax_mhz"] == 20.0);
  REQUIRE(timing.contains("fmax_through_dsps_mhz"));
  CHECK(timing["fmax_through_dsps_mhz"].get<double>() == Approx(10.0));
}

TEST_CASE("t_synth_reports: a report without critical paths has only the clocks' Fmax", "[export][fast]") {
  const nlohmann::json pnr = {{"fmax", {{"clk", {{"achieved", 12.0}, {"constraint", 12}}}}}};
  const auto timing = nextpnr_timing(pnr);
  CHECK(timing["fmax_mhz"] == 12.0);
  CHECK_FALSE(timing.contains("fmax_through_dsps_mhz"));
}

TEST_CASE("t_synth_reports: nextpnr's packing utilization and Yosys' last stat block", "[export][fast]") {
  const std::string log =
      "Info: Packing constants..\n"
      "Info: Device utilisation:\n"
      "Info: \t         ICESTORM_LC:  9164/ 5280   173%\n"
      "Info: \t        ICESTORM_RAM:     0/   30     0%\n"
      "Info: \t        ICESTORM_DSP:    10/    8   125%\n"
      "\n"
      "Info: Placed 0 cells\n";
  const auto use = parse_nextpnr_utilization(log);
  CHECK(use.size() == 2);  // resources in use only
  CHECK(use["ICESTORM_LC"]["used"] == 9164);
  CHECK(use["ICESTORM_LC"]["available"] == 5280);
  CHECK(use["ICESTORM_DSP"]["used"] == 10);
  CHECK(parse_nextpnr_utilization("no such block").empty());

  const std::string yosys_log =
      "   Number of cells:                  5\n     $_AND_                          2\n"
      "     $_DFF_P_                        3\n\n"
      "   Number of cells:                  7\n     DFF_X1                          3\n"
      "     NAND2_X1                        4\n\n"
      "   Chip area for module '\\counter': 26.000000\n";
  const auto stat = parse_yosys_stat(yosys_log);
  CHECK(stat["cells"] == 7);
  CHECK(stat["cell_types"].size() == 2);
  CHECK(stat["cell_types"]["NAND2_X1"] == 4);
  CHECK(stat["area"].get<double>() == Approx(26.0));
  CHECK_THROWS_WITH(parse_yosys_stat("ERROR: syntax error"), Catch::Contains("no statistics"));

  // By module: the block whose title names it, not the design's.
  const std::string hierarchy =
      "=== $paramod\\tandem_pe\\ROWS=4 ===\n\n   Number of cells:                  3\n     $mul    1\n     $add    2\n\n"
      "=== tandem_top ===\n\n   Number of cells:                 11\n     $mem_v2    4\n\n"
      "=== design hierarchy ===\n\n   Number of cells:                 23\n     $mem_v2    4\n     $mul    4\n";
  CHECK(parse_yosys_stat(hierarchy)["cells"] == 23);
  CHECK(parse_yosys_stat(hierarchy, "tandem_pe")["cells"] == 3);
  CHECK(parse_yosys_stat(hierarchy, "tandem_pe")["cell_types"]["$add"] == 2);
  CHECK(parse_yosys_stat(hierarchy, "tandem_top")["cell_types"]["$mem_v2"] == 4);
  CHECK_THROWS_WITH(parse_yosys_stat(hierarchy, "tandem_dma"), Catch::Contains("no statistics of module tandem_dma"));
}

// The ASIC route's readers (handoff/asic_route.h) on excerpts of OpenSTA's and Yosys' output.

TEST_CASE("t_synth_reports: OpenSTA's slacks and worst path", "[export][fast]") {
  const std::string report =
      "Warning: constraints.sdc, 9 set_input_delay relative to a clock defined on the same port/pin not allowed.\n"
      "Startpoint: core.vector_unit.beat_q[0]\\\\sky130_fd_sc_hd__dfxtp_1\n"
      "            (rising edge-triggered flip-flop clocked by clk)\n"
      "Endpoint: core.vec_ibuf_wdata[0]\\\\sky130_fd_sc_hd__dfxtp_1\n"
      "            (rising edge-triggered flip-flop clocked by clk)\n"
      "                   30.270   data arrival time\n"
      "                   -20.441   slack (VIOLATED)\n\n"
      "worst slack -20.441\nwns -20.441\ntns -638.321\n";
  const auto timing = tandem::parse_sta_report(report);
  CHECK(timing["worst_slack_ns"] == -20.441);
  CHECK(timing["wns_ns"] == -20.441);
  CHECK(timing["tns_ns"] == -638.321);
  CHECK(timing["worst_path"]["start"] == "core.vector_unit.beat_q[0]");
  CHECK(timing["worst_path"]["end"] == "core.vec_ibuf_wdata[0]");
  CHECK(timing["worst_path"]["arrival_ns"] == 30.27);
  CHECK_THROWS_WITH(tandem::parse_sta_report("wns 0.0\n"), Catch::Contains("no worst slack"));
}

TEST_CASE("t_synth_reports: area per component from Yosys' hierarchy", "[export][fast]") {
  // top 10 own; core 100 own; two PEs of 7 under the array (own 20); a DMA of 50; two
  // scratchpads of 3 each (one module, instantiated twice)
  const std::string stat =
      "=== $paramod$aa\\tandem_pe ===\n   Chip area for module '$paramod$aa\\tandem_pe': 7.000\n"
      "=== $paramod$bb\\tandem_array_unit ===\n   Chip area for module '$paramod$bb\\tandem_array_unit': 20.000\n"
      "=== $paramod$cc\\tandem_dma ===\n   Chip area for module '$paramod$cc\\tandem_dma': 50.000\n"
      "=== $paramod$dd\\tandem_scratchpad ===\n   Chip area for module '$paramod$dd\\tandem_scratchpad': 3.000\n"
      "=== $paramod\\tandem_requant\\CARRY_PARAMS=1'1 ===\n"
      "   Chip area for module '$paramod\\tandem_requant\\CARRY_PARAMS=1'1': 4.000\n"
      "=== $paramod$ee\\tandem_core ===\n   Chip area for module '$paramod$ee\\tandem_core': 100.000\n"
      "=== tandem_top ===\n   Chip area for module '\\tandem_top': 10.000\n"
      "=== design hierarchy ===\n\n"
      "   tandem_top                 1\n"
      "     $paramod$ee\\tandem_core      1\n"
      "       $paramod$bb\\tandem_array_unit      1\n"
      "         $paramod$aa\\tandem_pe      2\n"
      "       $paramod$cc\\tandem_dma      1\n"
      "       $paramod$dd\\tandem_scratchpad      2\n"
      "       $paramod\\tandem_requant\\CARRY_PARAMS=1'1      1\n"
      "\n   Number of cells: 12\n";
  const auto area = tandem::hierarchy_area(stat);
  CHECK(area["total_um2"] == Approx(10 + 100 + 20 + 14 + 50 + 6 + 4));
  const auto& parts = area["by_component_um2"];
  CHECK(parts["tandem_top (own logic)"] == Approx(10));
  CHECK(parts["tandem_core (own logic)"] == Approx(100));
  CHECK(parts["tandem_array_unit"] == Approx(34));
  CHECK(parts["tandem_dma"] == Approx(50));
  CHECK(parts["tandem_scratchpad"] == Approx(6));
  CHECK(parts["tandem_requant"] == Approx(4));
}

TEST_CASE("t_synth_reports: SRAM macro instances become one Liberty cell per shape", "[export][fast]") {
  std::string netlist =
      "  tandem_sram_1r1w #(\n    .AW(32'sb00000000000000000000000000001011),\n"
      "    .DEPTH(32'sb00000000000000000000100000000000),\n    .WIDTH(32'sb00000000000000000000000000010000)\n"
      "  ) \\core.ibuf.g_bank[0].bank.macro  (\n    .CLK(clk),\n  );\n"
      "  tandem_sram_1r1w #(\n    .AW(11),\n    .DEPTH(2048),\n    .WIDTH(16)\n"
      "  ) \\core.wbuf.g_bank[0].bank.macro  (\n    .CLK(clk),\n  );\n"
      "  tandem_sram_1r1w #(\n    .AW(2),\n    .DEPTH(4),\n    .WIDTH(96)\n"
      "  ) \\core.param.g_bank[0].bank.macro  (\n    .CLK(clk),\n  );\n";
  const auto shapes = tandem::name_sram_macros_by_shape(netlist, "tandem_sram_1r1w");
  REQUIRE(shapes.size() == 2);
  CHECK(shapes[0].cell == "tandem_sram_1r1w_w16_d2048");
  CHECK(shapes[0].instances == 2);
  CHECK(shapes[0].aw == 11);
  CHECK(shapes[1].cell == "tandem_sram_1r1w_w96_d4");
  CHECK_THAT(netlist, Catch::Contains("  tandem_sram_1r1w_w16_d2048 \\core.ibuf.g_bank[0].bank.macro  (\n"));
  CHECK_THAT(netlist, Catch::Contains("  tandem_sram_1r1w_w96_d4 \\core.param.g_bank[0].bank.macro  (\n"));
  CHECK_THAT(netlist, !Catch::Contains("#("));
  const std::string lib = tandem::sram_macro_liberty(shapes, 2.0, 0.3);
  CHECK_THAT(lib, Catch::Contains("cell (tandem_sram_1r1w_w96_d4)"));
  CHECK_THAT(lib, Catch::Contains("bit_width : 96"));
  CHECK_THAT(lib, Catch::Contains("timing_type : rising_edge"));
}

TEST_CASE("t_synth_reports: high-fanout nets become buffer trees", "[export][fast]") {
  const auto cells = tandem::read_liberty_pins(tandem::read_file("tests/handoff/data/tiny_cells.lib"));
  CHECK(cells.at("NAND2_X1").inputs.at("A"));
  CHECK(!cells.at("NAND2_X1").inputs.at("Y"));
  CHECK(cells.at("DFF_X1").area == 6);
  CHECK(tandem::pick_buffer(cells) == "BUF_X1");
  // An inverter driving `sinks` NAND inputs (and a top input driving all of them: not buffered).
  const auto netlist = [](int sinks) {
    std::string text = "module top(a, y);\n  input a;\n  output y;\n  wire s;\n"
                       "  INV_X1 drv (\n    .A(a),\n    .Y(s)\n  );\n";
    for (int i = 0; i < sinks; ++i) {
      text += "  NAND2_X1 \\g[" + std::to_string(i) + "].n  (\n    .A(s),\n    .B(a),\n    .Y(y)\n  );\n";
    }
    return text + "endmodule\n";
  };
  const auto loads = [](const std::string& text, const std::string& net) {
    std::size_t count = 0;
    for (std::size_t at = 0; (at = text.find("(" + net + ")", at)) != std::string::npos; ++at) ++count;
    return count;
  };
  std::string small = netlist(16);
  CHECK(tandem::buffer_high_fanout(small, cells, 16) == 0);
  std::string forty = netlist(40);
  CHECK(tandem::buffer_high_fanout(forty, cells, 16) == 3);
  CHECK(loads(forty, "s") == 1 + 3);  // the driver's Y and three buffers
  CHECK(loads(forty, "tandem_fanout_0") == 16 + 1);
  CHECK(loads(forty, "tandem_fanout_2") == 8 + 1);
  CHECK(loads(forty, "a") == 1 + 40);  // a top input: left alone
  CHECK_THAT(forty, Catch::Contains("  wire tandem_fanout_2;\n"));
  std::string many = netlist(300);  // 19 buffers, then 2 above them
  CHECK(tandem::buffer_high_fanout(many, cells, 16) == 21);
  CHECK(loads(many, "s") == 1 + 2);
  CHECK_THAT(many, !Catch::Contains("IN_PLACEHOLDER"));
}
