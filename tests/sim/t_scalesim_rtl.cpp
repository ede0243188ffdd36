// t_scalesim_rtl: SCALE-Sim topologies on the generated RTL: every row bit-exact against the
// golden reference and cycle- and counter-equal to the analytic model (evaluator "both").
#include <catch2/catch.hpp>

#include "models/network_io.h"
#include "rtl_checks.h"
#include "sim/network_simulation.h"

using namespace tandem;

TEST_CASE("t_scalesim_rtl: SCALE-Sim rows and GEMM rows run analytic == RTL, bit-exact", "[rtl][scalesim]") {
  const AcceleratorConfig config = test::small_rtl_accelerator();
  const SimulationOptions options = test::both_evaluator_options();
  // rounding.csv: rows whose SCALE-Sim output size rounds up, so that their last windows reach
  // past the input (1x1 stride 2 on an even IFMAP: a window wholly in the padding).
  for (const std::string file : {"tests/data/scalesim/topologies/test.csv", "tests/data/scalesim/gemm/small_gemm.csv",
                                 "tests/data/scalesim/rounding.csv"}) {
    INFO(file);
    const Workload workload = load_workload(file);
    const NetworkMetrics metrics = simulate_workload(workload, config, options);
    REQUIRE(metrics.layers.size() == workload.networks.size());
    test::check_bit_exact_and_cycle_equal(metrics);
  }
}
