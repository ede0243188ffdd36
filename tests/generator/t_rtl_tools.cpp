// t_rtl_tools: generated RTL across the declared space lints clean under
// `verilator --lint-only -Wall` and compiles under `iverilog -g2012`.
#include <catch2/catch.hpp>

#include "core/accelerator_sampling.h"
#include "rtl_config_matrix.h"
#include "rtl_package.h"

using namespace tandem;

namespace {

void check_tools_accept(const AcceleratorConfig& config, const std::string& name) {
  INFO(name << ": " << canonical_text(config));
  const auto dir = test::generate_test_package(config, "t_rtl_tools");
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
    const AcceleratorConfig config = sample_accelerator(rng, SampleRange::full_range);
    if (i % 4 == group) check_tools_accept(config, "random point " + std::to_string(i));
  }
}

}  // namespace

TEST_CASE("t_rtl_tools: corner configurations lint and compile", "[rtl][tools]") {
  for (const auto& [name, config] : test::corner_configs()) {
    SECTION(name) { check_tools_accept(config, name); }
  }
}

TEST_CASE("t_rtl_tools: random points 0, 4, 8, ... lint and compile", "[rtl][tools]") { check_random_points(0); }
TEST_CASE("t_rtl_tools: random points 1, 5, 9, ... lint and compile", "[rtl][tools]") { check_random_points(1); }
TEST_CASE("t_rtl_tools: random points 2, 6, 10, ... lint and compile", "[rtl][tools]") { check_random_points(2); }
TEST_CASE("t_rtl_tools: random points 3, 7, 11, ... lint and compile", "[rtl][tools]") { check_random_points(3); }
