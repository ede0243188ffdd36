// The search's hardware evaluation on synthetic operands (SimulationOptions::synthetic_operands):
// no golden run, layers memoized, and the figures the search uses equal to the golden-driven
// analytic evaluation: cycles and every counter but the data-dependent zero-operand estimate.
#include <catch2/catch.hpp>

#include "models/network_space.h"
#include "models/zoo.h"
#include "sim/network_simulation.h"

using namespace tandem;

namespace {

NetworkMetrics analytic(const Network& network, const AcceleratorConfig& config, bool synthetic) {
  SimulationOptions options;
  options.synthetic_operands = synthetic;
  return simulate_network(network, config, options);
}

void check_same_figures(const NetworkMetrics& golden, const NetworkMetrics& synthetic) {
  REQUIRE(golden.layers.size() == synthetic.layers.size());
  for (std::size_t l = 0; l < golden.layers.size(); ++l) {
    const LayerMetrics& a = golden.layers[l];
    const LayerMetrics& b = synthetic.layers[l];
    INFO("layer " << a.name);
    CHECK(b.name == a.name);
    CHECK(b.error == a.error);
    CHECK(b.cycles == a.cycles);
    for (const auto& [counter, value] : a.counters) {
      if (counter == "zero_operand_macs") continue;  // an estimate from the data
      CHECK(b.counters.at(counter) == value);
    }
    CHECK(b.energy_pj == a.energy_pj);
  }
  CHECK(synthetic.total_cycles() == golden.total_cycles());
}

}  // namespace

TEST_CASE("t_synthetic_operands: sampled proxy networks keep their cycles, counters and energy", "[sim][synthetic]") {
  const NetworkSpace& space = NetworkSpace::proxy();
  AcceleratorConfig ws, os;
  os.array.rows = 8;
  os.array.cols = 32;
  os.array.dataflow = Dataflow::output_stationary;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const Network network = space.decode(space.sample(seed));
    for (const AcceleratorConfig* config : {&ws, &os}) {
      INFO("genotype seed " << seed << ", " << config->array.rows << "x" << config->array.cols);
      check_same_figures(analytic(network, *config, false), analytic(network, *config, true));
    }
  }
}

TEST_CASE("t_synthetic_operands: a memoized layer gives what a fresh one gives", "[sim][synthetic]") {
  const Network network = NetworkSpace::proxy().decode(NetworkSpace::proxy().sample(11));
  AcceleratorConfig config;
  config.dram.latency_cycles = 123;  // a configuration no other case uses: the first run is fresh
  const NetworkMetrics first = analytic(network, config, true);
  const NetworkMetrics again = analytic(network, config, true);
  REQUIRE(first.layers.size() == again.layers.size());
  for (std::size_t l = 0; l < first.layers.size(); ++l) {
    CHECK(again.layers[l].cycles == first.layers[l].cycles);
    CHECK(again.layers[l].counters == first.layers[l].counters);
    CHECK(again.layers[l].energy_pj == first.layers[l].energy_pj);
  }
  // Another technology prices the memoized counters itself.
  Technology expensive = default_technology();
  expensive.name = "expensive";
  expensive.energy_pj.dram_per_byte *= 2;
  SimulationOptions options;
  options.synthetic_operands = true;
  options.technology = &expensive;
  const NetworkMetrics priced = simulate_network(network, config, options);
  CHECK(priced.total_energy_pj()["dram"] == Approx(2 * first.total_energy_pj()["dram"]).epsilon(1e-9));
  CHECK(priced.total_energy_pj()["dram"] > 0);
}

TEST_CASE("t_synthetic_operands: only the analytic evaluator takes them", "[sim][synthetic]") {
  const Network network = find_zoo_model("proxy_mobilenet_v1")->build();
  SimulationOptions options;
  options.synthetic_operands = true;
  options.evaluator = "rtl";
  CHECK_THROWS_WITH(simulate_network(network, AcceleratorConfig{}, options),
                    Catch::Contains("synthetic operands are for the analytic evaluator alone"));
}
