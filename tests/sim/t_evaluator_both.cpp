// t_evaluator_both: `--evaluator both` reports the RTL's own cycles and energy with the model's
// beside them, and its comparators fire: a program perturbed before the RTL runs it (the model
// times the original) is a cycle disagreement, a perturbed weight a bit-exactness failure.
#include <catch2/catch.hpp>

#include "models/network_builder.h"
#include "sim/network_simulation.h"

using namespace tandem;

namespace {

Network small_network() {
  NetworkBuilder b("both", {8, 8, 8}, 8);
  const int x = b.conv("conv", NetworkBuilder::network_input, 8, 3, 1, Activation::relu);
  b.conv("project", x, 8, 1, 1, Activation::none);
  return b.finish();
}

AcceleratorConfig small_accelerator() {
  AcceleratorConfig config;
  config.array = {4, 4, Dataflow::weight_stationary};
  config.buffers = {4, 4, 4, 2};
  config.vector.lanes = 4;
  return config;
}

SimulationOptions both_options() {
  SimulationOptions options;
  options.evaluator = "both";
  options.cosim.cache_dir = TANDEM_COSIM_TEST_CACHE;
  return options;
}

}  // namespace

TEST_CASE("t_evaluator_both: the cycles and energy reported are the RTL's, the model's beside them", "[rtl]") {
  const NetworkMetrics both = simulate_network(small_network(), small_accelerator(), both_options());
  REQUIRE(both.all_ok());
  SimulationOptions rtl_only = both_options();
  rtl_only.evaluator = "rtl";
  const NetworkMetrics rtl = simulate_network(small_network(), small_accelerator(), rtl_only);
  REQUIRE(rtl.layers.size() == both.layers.size());
  for (std::size_t l = 0; l < both.layers.size(); ++l) {
    const LayerMetrics& layer = both.layers[l];
    INFO(layer.name);
    CHECK(layer.cycles == rtl.layers[l].cycles);
    CHECK(layer.counters == rtl.layers[l].counters);
    CHECK(layer.energy_pj == rtl.layers[l].energy_pj);
    REQUIRE(layer.analytic_cycles);
    CHECK(*layer.analytic_cycles == layer.cycles);  // the two agree: no error
    REQUIRE(layer.analytic_energy_pj);
    CHECK(*layer.analytic_energy_pj > 0);
    CHECK(layer.estimated.empty());
  }
  CHECK(both.total_analytic_cycles() == both.total_cycles());
  CHECK_FALSE(rtl.total_analytic_cycles());
  const auto json = to_json(both);
  CHECK(json["total"]["analytic_cycles"] == both.total_cycles());
  CHECK(json["layers"][0]["analytic_cycles"] == both.layers[0].cycles);
}

TEST_CASE("t_evaluator_both: a cycle disagreement between model and RTL is an error", "[rtl]") {
  SimulationOptions options = both_options();
  // One SYNC more before the RTL's program: same outputs, more cycles than the model's.
  options.test_perturb_rtl_program = [](Program& program) {
    program.instructions.insert(program.instructions.begin(),
                                isa::Instruction(isa::Opcode::sync).set(isa::field::mask, 7));
  };
  options.only_layers = {"project"};
  const NetworkMetrics metrics = simulate_network(small_network(), small_accelerator(), options);
  REQUIRE(metrics.layers.size() == 1);
  const LayerMetrics& layer = metrics.layers[0];
  CHECK_FALSE(metrics.all_ok());
  CHECK(layer.bit_exact == true);
  REQUIRE(layer.analytic_cycles);
  CHECK(layer.cycles > *layer.analytic_cycles);
  CHECK_THAT(layer.error, Catch::StartsWith("analytic model differs from the RTL: cycles " +
                                            std::to_string(*layer.analytic_cycles) + " (analytic) vs " +
                                            std::to_string(layer.cycles) + " (RTL)"));
  // What is reported is the RTL's: its own cycle counter, and energy priced from its counters.
  CHECK(layer.counters.at("cycles") == layer.cycles);
  REQUIRE(layer.energy_pj.count("total"));
  REQUIRE(layer.analytic_energy_pj);
  CHECK(layer.energy_pj.at("total") > *layer.analytic_energy_pj);  // more cycles: more static energy
}

TEST_CASE("t_evaluator_both: an RTL output that differs from the golden reference is not bit-exact", "[rtl]") {
  SimulationOptions options = both_options();
  int perturbed = 0;
  options.test_perturb_rtl_program = [&](Program& program) {
    for (MemorySegment& segment : program.memory) {
      if (segment.name != "project.weights") continue;
      for (std::uint8_t& byte : segment.bytes) byte ^= 0x41;
      ++perturbed;
    }
  };
  options.only_layers = {"project"};
  const NetworkMetrics metrics = simulate_network(small_network(), small_accelerator(), options);
  REQUIRE(perturbed == 1);
  REQUIRE(metrics.layers.size() == 1);
  CHECK(metrics.layers[0].bit_exact == false);
  CHECK_FALSE(metrics.all_ok());
}
