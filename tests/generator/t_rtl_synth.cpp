// t_rtl_synth: small generated accelerators synthesize with Yosys through the package's own
// synth.ys, which runs `check -assert` and asserts that no latch was inferred.
#include <catch2/catch.hpp>

#include "core/files.h"
#include "rtl_config_matrix.h"
#include "rtl_package.h"

using namespace tandem;

namespace {

void check_synthesizes(const AcceleratorConfig& config) {
  INFO(canonical_text(config));
  const auto dir = test::generate_test_package(config, "t_rtl_synth");
  const auto yosys = test::run_in(dir, "yosys -q -l synth.log -s synth.ys");
  INFO("yosys: " << yosys.err << yosys.out << "\nsee " << (dir / "synth.log").string());
  REQUIRE(yosys.exit_code == 0);
  const std::string stat = tandem::read_file((dir / "synth_stat.txt").string());
  CHECK_THAT(stat, Catch::Contains("Number of cells"));
  CHECK_THAT(stat, Catch::Contains("$mem_v2"));  // scratchpads stay memories
  CHECK(stat.find("DLATCH") == std::string::npos);
}

}  // namespace

// Small arrays only: synthesis of a 16x16 array takes minutes.
TEST_CASE("t_rtl_synth: smallest weight-stationary accelerator", "[rtl][synth]") {
  check_synthesizes(test::make_config(2, 2, Dataflow::weight_stationary, 1, 1, 1, 1));
}
TEST_CASE("t_rtl_synth: non-square output-stationary, many banks and lanes", "[rtl][synth]") {
  check_synthesizes(test::make_config(3, 4, Dataflow::output_stationary, 1, 4, 8, 4));
}
TEST_CASE("t_rtl_synth: tall weight-stationary, wide DRAM", "[rtl][synth]") {
  check_synthesizes(test::make_config(4, 2, Dataflow::weight_stationary, 2, 2, 2, 32));
}
TEST_CASE("t_rtl_synth: a 2x1 mesh of the smallest cores", "[rtl][synth][mesh]") {
  AcceleratorConfig mesh = test::make_config(2, 2, Dataflow::weight_stationary, 1, 1, 1, 1);
  mesh.mesh = {2, 1};
  check_synthesizes(mesh);
}
