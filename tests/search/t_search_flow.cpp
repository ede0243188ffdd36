// The search section of flow files (every bad file gives its golden one-line error) and the
// objective arithmetic the pipeline scores trials with.
#include <catch2/catch.hpp>

#include <cmath>

#include "golden_file.h"
#include "search/objective.h"
#include "search/search_flow.h"

using namespace tandem;

TEST_CASE("t_search_flow: every bad flow gives its golden one-line error", "[search][bad]") {
  CHECK(test::check_bad_input_goldens("tests/data/search/bad", {".yaml"}, [](const std::string& file) {
          return test::input_error_of([&] { load_search_flow(file); });
        }) >= 20);
}

TEST_CASE("t_search_flow: a complete flow parses into plain structs", "[search]") {
  const SearchFlow flow = load_search_flow("tests/data/search/good/joint.yaml");
  CHECK(flow.mode == SearchMode::joint);
  CHECK(flow.flow.seed == 7);
  CHECK(flow.flow.accelerator.array.rows == 8);
  CHECK(flow.hardware_values.at("array.rows") == std::vector<std::int64_t>{4, 8, 16});
  CHECK(flow.hardware_values.at("array.dataflow") == std::vector<std::int64_t>{0, 1});
  CHECK(flow.objective.kind == Objective::Kind::reward);
  CHECK(flow.objective.cost == Metric::energy);
  CHECK(flow.objective.target == 5);
  CHECK(flow.objective.weight == -0.1);
  REQUIRE(flow.constraints.size() == 2);
  CHECK(flow.constraints[0].metric == Metric::accuracy);
  CHECK(*flow.constraints[0].min == 0.5);
  CHECK(flow.constraints[1].metric == Metric::latency);
  CHECK(flow.strategy == "random");
  CHECK(flow.strategy_options.seed == 7);
  CHECK(flow.trials == 12);
  CHECK(flow.workers == 2);
  CHECK(flow.validate_top == 0);
  CHECK(flow.study_path() == "out/test_joint/study.db");
  CHECK(flow.hash().size() == 16);
  CHECK(flow.searches_network());
  CHECK(flow.searches_hardware());
}

TEST_CASE("t_search_flow: the MnasNet soft reward and the Pareto vector", "[search]") {
  Objective reward;
  reward.cost = Metric::latency;
  reward.target = 100;
  reward.weight = -0.07;
  CandidateMetrics m;
  m.accuracy = 0.9;
  m.latency_us = 200;
  m.energy_uj = 3;
  m.area_mm2 = 1.5;
  CHECK(soft_reward(reward, m) == Approx(0.9 * std::pow(2.0, -0.07)));
  m.latency_us = 100;
  CHECK(soft_reward(reward, m) == Approx(0.9));
  CHECK(objective_vector(reward, m) == std::vector<double>{-0.9});

  Objective pareto;
  pareto.kind = Objective::Kind::pareto;
  pareto.metrics = {Metric::accuracy, Metric::energy, Metric::area};
  CHECK(objective_vector(pareto, m) == std::vector<double>{-0.9, 3, 1.5});
  CHECK(pareto.describe() == "pareto over accuracy energy area");
  CHECK(reward.describe() == "maximize accuracy * (latency / 100 us)^-0.07");
}

TEST_CASE("t_search_flow: constraints name the metric, value and bound", "[search]") {
  CandidateMetrics m;
  m.latency_us = 612.5;
  std::vector<Constraint> constraints{{Metric::accuracy, 0.8, std::nullopt}, {Metric::latency, std::nullopt, 500}};
  // Accuracy is unknown before training: only the hardware bound is checked.
  CHECK(violated_constraint(constraints, m) == std::optional<std::string>("latency 612.5 us > max 500 us"));
  m.latency_us = 400;
  CHECK_FALSE(violated_constraint(constraints, m));
  m.accuracy = 0.75;
  CHECK(violated_constraint(constraints, m) == std::optional<std::string>("accuracy 0.75 < min 0.8"));
}
