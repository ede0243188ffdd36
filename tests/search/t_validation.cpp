// t_validation: the RTL validation of a search's design (search/validation.h) reports the RTL's
// own latency beside the search's analytic one, and flags a search whose cycles the RTL does
// not reproduce.
#include <catch2/catch.hpp>

#include <filesystem>

#include "models/network_builder.h"
#include "search/validation.h"
#include "sim/network_simulation.h"

using namespace tandem;

namespace {

Network small_network() {
  NetworkBuilder b("validated", {8, 8, 8}, 8);
  const int x = b.conv("conv", NetworkBuilder::network_input, 8, 3, 1, Activation::relu);
  b.global_avg_pool("pool", x);
  return b.finish();
}

// A finished trial as the search records it: the analytic figures of its design.
TrialRecord analytic_trial(const SearchFlow& flow, const Network& network) {
  TrialRecord trial;
  trial.number = 3;
  trial.status = TrialStatus::ok;
  trial.accelerator.array = {4, 4, Dataflow::weight_stationary};
  trial.accelerator.buffers = {4, 4, 4, 2};
  trial.accelerator.vector.lanes = 4;
  SimulationOptions options;
  options.seed = flow.flow.seed;
  const NetworkMetrics model = simulate_network(network, trial.accelerator, options);
  trial.cycles = model.total_cycles();
  trial.latency_us = model.latency_us();
  trial.energy_uj = model.total_energy_pj().at("total") / 1e6;
  return trial;
}

SearchFlow test_flow(const std::string& name) {
  SearchFlow flow;
  flow.flow.output_dir = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_validation/" + name;
  std::filesystem::remove_all(flow.flow.output_dir);
  return flow;
}

}  // namespace

TEST_CASE("t_validation: a design the RTL reproduces agrees, with the RTL's own figures", "[rtl]") {
  const SearchFlow flow = test_flow("agree");
  const Network network = small_network();
  const TrialRecord trial = analytic_trial(flow, network);
  const ValidationRecord v = validate_design(flow, trial, network, TANDEM_COSIM_TEST_CACHE);
  INFO(v.message);
  CHECK(v.agree);
  REQUIRE(v.rtl_latency_us);
  CHECK(*v.rtl_latency_us == Approx(*trial.latency_us));
  CHECK(v.analytic_latency_us == trial.latency_us);
  REQUIRE(v.rtl_energy_uj);
  CHECK(*v.rtl_energy_uj > 0);
  // The stored metrics are the RTL's: measured cycles with the model's beside them.
  CHECK(v.rtl_metrics["layers"][0]["evaluator"] == "both");
  CHECK(v.rtl_metrics["total"]["cycles"] == *trial.cycles);
  CHECK(v.rtl_metrics["total"]["analytic_cycles"] == *trial.cycles);
  CHECK(std::filesystem::exists(design_directory(flow, trial.number) + "/validation.json"));
}

TEST_CASE("t_validation: a search whose cycles the RTL does not reproduce is flagged", "[rtl]") {
  const SearchFlow flow = test_flow("disagree");
  const Network network = small_network();
  TrialRecord trial = analytic_trial(flow, network);
  const std::uint64_t measured = *trial.cycles;
  trial.cycles = measured + 1;  // as if the search's model had drifted from the RTL
  const ValidationRecord v = validate_design(flow, trial, network, TANDEM_COSIM_TEST_CACHE);
  CHECK_FALSE(v.agree);
  CHECK(v.message == "the RTL took " + std::to_string(measured) + " cycles, the search's analytic model " +
                         std::to_string(measured + 1) + " (trial 3)");
  CHECK(v.rtl_latency_us);
}
