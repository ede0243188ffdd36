// tandem synth's readers of tool output (handoff/handoff.h), on small made-up reports in
// the tools' formats: nextpnr's --report JSON and log, Yosys' stat.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

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
