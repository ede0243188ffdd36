#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <stdexcept>

#include "search/joint_space.h"
#include "search/search_flow.h"
#include "search/strategy.h"

using namespace tandem;

namespace {

std::vector<std::string> gene_names(const SearchSpace& space) {
  std::vector<std::string> names;
  for (const Gene& gene : space.genes()) names.push_back(gene.name);
  return names;
}

const std::vector<std::string> searched_hardware = {
    "hw.array.rows",        "hw.array.cols",         "hw.array.dataflow",
    "hw.buffers.input_kib", "hw.buffers.weight_kib", "hw.buffers.output_kib",
    "hw.buffers.banks",     "hw.vector.lanes",       "hw.vector.depthwise_kernel",
    "hw.dram.bytes_per_cycle"};

std::string construction_error(AcceleratorSide accelerator) {
  try {
    JointSpace space({&NetworkSpace::proxy()}, std::move(accelerator));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("joint space genes: the network decisions, then the searched accelerator parameters") {
  const JointSpace space({&NetworkSpace::proxy()}, {});
  const auto& decisions = NetworkSpace::proxy().decisions();
  REQUIRE(space.network_genes() == decisions.size());
  REQUIRE(space.hardware_genes() == searched_hardware.size());
  const auto names = gene_names(space);
  CHECK(names.front() == "net.resolution");
  CHECK(names[2] == "net.s1.block");
  CHECK(names[3] == "net.s1.kernel");
  CHECK(std::vector<std::string>(names.begin() + static_cast<std::ptrdiff_t>(space.network_genes()),
                                 names.end()) == searched_hardware);
  CHECK(space.genes()[2].choices == decisions[2].choices);
  const Gene& dataflow = space.genes()[space.network_genes() + 2];
  CHECK(dataflow.choices == std::vector<std::string>{"weight_stationary", "output_stationary"});
  CHECK(space.genes()[space.network_genes()].choices.front() == "4");
  CHECK(space.hardware_param(space.network_genes() + 7).name == "vector.lanes");
  CHECK(space.hardware_values(space.network_genes() + 7) ==
        std::vector<std::int64_t>{4, 8, 16, 32, 64});
  CHECK_THROWS_AS(space.hardware_param(0), std::out_of_range);
}

TEST_CASE("sampled joint points decode to valid candidates and encode back") {
  const JointSpace space({&NetworkSpace::proxy()}, {});
  std::mt19937_64 rng(11);
  for (int i = 0; i < 300; ++i) {
    const Point point = space.sample(rng);
    INFO(space.describe(point));
    REQUIRE_FALSE(space.check(point));
    const Candidate candidate = space.decode(point);
    CHECK(validate(candidate.accelerator).empty());
    CHECK_FALSE(NetworkSpace::proxy().check(candidate.genotype));
    CHECK(space.encode(candidate) == point);
    if (i % 50 == 0) {
      CHECK(NetworkSpace::proxy().decode(candidate.genotype).validate() == std::nullopt);
    }
  }
}

TEST_CASE("conditional network genes are masked through the joint space") {
  const JointSpace space({&NetworkSpace::proxy()}, {});
  std::mt19937_64 rng(5);
  Point point = space.sample(rng);
  // s1: block gene 2, expansion gene 4; a plain conv (choice 2) only allows expansion 1.
  point[2] = 2;
  CHECK(space.allowed(point, 4) == std::vector<int>{0});
  point[4] = 3;
  CHECK(space.check(point).value_or("").rfind("network: gene 4 (s1.expansion)", 0) == 0);
  const Point repaired = space.repair(point, rng);
  CHECK(repaired[4] == 0);
  CHECK_FALSE(space.check(repaired));
}

TEST_CASE("fixed sides have no genes") {
  AcceleratorConfig fixed;
  fixed.array.rows = 8;
  SECTION("both fixed") {
    const JointSpace space({}, {fixed, {}, {}, {}, ClockPolicy::as_given});
    CHECK(space.genes().empty());
    std::mt19937_64 rng(1);
    const Point point = space.sample(rng);
    CHECK(point.empty());
    const Candidate candidate = space.decode(point);
    CHECK(candidate.genotype.empty());
    CHECK(candidate.accelerator == fixed);
    CHECK(space.encode(candidate).empty());
  }
  SECTION("fixed network, searched accelerator") {
    const JointSpace space({}, {});
    CHECK(space.network_genes() == 0);
    CHECK(gene_names(space) == searched_hardware);
    std::mt19937_64 rng(2);
    const Candidate candidate = space.decode(space.sample(rng));
    CHECK(candidate.genotype.empty());
    CHECK_THROWS_WITH(space.encode({{0, 1}, candidate.accelerator}),
                      "the network is fixed, but the candidate has a genotype");
  }
  SECTION("searched network, fixed accelerator") {
    const JointSpace space({&NetworkSpace::proxy()}, {fixed, {}, {}, {}, ClockPolicy::as_given});
    CHECK(space.hardware_genes() == 0);
    std::mt19937_64 rng(3);
    CHECK(space.decode(space.sample(rng)).accelerator == fixed);
  }
}

TEST_CASE("narrowing the accelerator values") {
  AcceleratorSide accelerator;
  accelerator.base.dram.latency_cycles = 250;
  accelerator.values = {
      {"array.rows", {8, 10}}, {"vector.lanes", {32}}, {"dram.latency_cycles", {50, 400}}};
  const JointSpace space({}, accelerator);
  const auto names = gene_names(space);
  CHECK(names == std::vector<std::string>{"hw.array.rows", "hw.array.cols", "hw.array.dataflow",
                                          "hw.buffers.input_kib", "hw.buffers.weight_kib",
                                          "hw.buffers.output_kib", "hw.buffers.banks",
                                          "hw.vector.depthwise_kernel", "hw.dram.bytes_per_cycle",
                                          "hw.dram.latency_cycles"});
  CHECK(space.genes()[0].choices ==
        std::vector<std::string>{"8", "10"});  // 10: not a default search value
  std::mt19937_64 rng(4);
  std::set<int> rows, latencies;
  for (int i = 0; i < 100; ++i) {
    const Candidate candidate = space.decode(space.sample(rng));
    CHECK(candidate.accelerator.vector.lanes == 32);  // one value: fixed, not a gene
    CHECK(candidate.accelerator.clock_mhz == accelerator.base.clock_mhz);
    rows.insert(candidate.accelerator.array.rows);
    latencies.insert(candidate.accelerator.dram.latency_cycles);
  }
  CHECK(rows == std::set<int>{8, 10});
  CHECK(latencies == std::set<int>{50, 400});

  Candidate outside = space.decode(space.sample(rng));
  outside.accelerator.array.rows = 16;
  CHECK_THROWS_WITH(
      space.encode(outside),
      "accelerator parameter 'array.rows' is 16, not one of the searched values 8 | 10");
  outside.accelerator.array.rows = 8;
  outside.accelerator.vector.lanes = 16;
  CHECK_THROWS_WITH(space.encode(outside),
                    "accelerator parameter 'vector.lanes' is 16, but this space fixes it at 32");
}

TEST_CASE("cross-field accelerator constraints are check()'s") {
  // 1 KiB input buffers in 32 banks cannot feed a 64-wide array (bank_capacity).
  AcceleratorSide accelerator;
  accelerator.values = {
      {"array.rows", {4, 64}}, {"buffers.input_kib", {1, 64}}, {"buffers.banks", {1, 32}}};
  const JointSpace space({}, accelerator);
  const Point broken = {1, 0, 0, 0, 0, 0, 1, 0, 0, 0};  // rows 64, input 1 KiB, 32 banks
  REQUIRE(space.genes()[6].name == "hw.buffers.banks");
  CHECK(space.check(broken).value_or("").rfind(
            "accelerator: buffers.banks: buffers.input_kib=1 split into 32 banks", 0) == 0);
  CHECK_THROWS_AS(space.decode(broken), std::invalid_argument);
  std::mt19937_64 rng(9);
  const Point repaired = space.repair(broken, rng);
  CHECK_FALSE(space.check(repaired));
  CHECK(std::vector<int>(repaired.begin(), repaired.begin() + 6) ==
        std::vector<int>(broken.begin(), broken.begin() + 6));  // keeps the longest valid prefix
  for (int i = 0; i < 200; ++i) CHECK_FALSE(space.check(space.sample(rng)));
}

TEST_CASE("bad narrowing is an error naming the parameter") {
  AcceleratorSide accelerator;
  accelerator.values = {{"array.row", {8}}};
  CHECK_THAT(construction_error(accelerator),
             Catch::StartsWith(
                 "unknown accelerator parameter 'array.row' (valid: array.rows, array.cols,"));
  accelerator.values = {{"buffers.banks", {2, 3}}};
  CHECK(construction_error(accelerator) ==
        "accelerator parameter 'buffers.banks': 3 is not allowed; valid: a power of two 1..32");
  accelerator.values = {{"array.dataflow", {0, 2}}};
  CHECK(construction_error(accelerator) ==
        "accelerator parameter 'array.dataflow': 2 is not allowed; valid: weight_stationary | "
        "output_stationary");
  accelerator.values = {{"array.cols", {}}};
  CHECK(construction_error(accelerator) ==
        "accelerator parameter 'array.cols': the list of values to search is empty");
  accelerator.values = {{"array.cols", {8, 8}}};
  CHECK(construction_error(accelerator) == "accelerator parameter 'array.cols': 8 is listed twice");
  accelerator.values = {{"array.cols", {8}}};
  accelerator.fixed = AcceleratorConfig{};
  CHECK(construction_error(accelerator) ==
        "accelerator parameter 'array.cols': a fixed accelerator is not searched, so its values "
        "cannot be narrowed");
  AcceleratorSide bad_base;
  bad_base.base.clock_mhz = 5;
  CHECK(construction_error(bad_base) ==
        "accelerator parameter 'clock_mhz': 5 is not allowed; valid: an integer 10..2000");
}

TEST_CASE("describe names every gene and its value") {
  const JointSpace space({}, {});
  const Point point(space.genes().size(), 0);
  CHECK(
      space.describe(point) ==
      "hw.array.rows=4 hw.array.cols=4 hw.array.dataflow=weight_stationary hw.buffers.input_kib=16 "
      "hw.buffers.weight_kib=16 hw.buffers.output_kib=16 hw.buffers.banks=1 hw.vector.lanes=4 "
      "hw.vector.depthwise_kernel=0 "
      "hw.dram.bytes_per_cycle=4");
  CHECK(space.describe({20}).rfind("hw.array.rows=#20 hw.array.cols=?", 0) == 0);
}

TEST_CASE("every strategy searches the joint space with valid candidates") {
  const JointSpace space({&NetworkSpace::proxy()}, {});
  for (const std::string& name : strategy_names()) {
    INFO(name);
    StrategyOptions options;
    options.population = 8;
    options.multi_objective = true;
    auto strategy = make_strategy(name, space, options);
    for (int round = 0; round < 16; ++round) {
      for (const Point& point : strategy->ask(4)) {
        REQUIRE_FALSE(space.check(point));
        const Candidate candidate = space.decode(point);
        // A stand-in objective over both sides: small arrays, few stages of conv blocks.
        const double rows = candidate.accelerator.array.rows;
        const double kernel =
            std::stod(space.genes()[3].choices[static_cast<std::size_t>(point[3])]);
        strategy->tell(point, Feedback{rows != 64, -rows - kernel, {rows, kernel}});
      }
    }
  }
}

// search.clock: a made-up timing model (250 MHz for arrays of 8 rows, 120 MHz otherwise) with a
// 200 MHz baseline clock.
TEST_CASE("the clock policy bounds, rejects or keeps a clock the configuration cannot meet") {
  AcceleratorSide side;
  side.base.clock_mhz = 200;
  side.values = {{"array.rows", {8, 16}}, {"clock_mhz", {200}}};
  side.clock_limit = [](const AcceleratorConfig& config) { return config.array.rows == 8 ? 250 : 120; };
  // A sampled point of the space without a clock policy, with the rows gene set.
  const auto point_with_rows = [&](const JointSpace& space, int rows) {
    AcceleratorSide plain = side;
    plain.clock_limit = nullptr;
    std::mt19937_64 rng(5);
    Point point = JointSpace({}, plain).sample(rng);
    for (std::size_t g = 0; g < space.genes().size(); ++g) {
      if (space.genes()[g].name == "hw.array.rows") point[g] = rows == 8 ? 0 : 1;
    }
    return point;
  };
  SECTION("bounded: evaluated at the lower of the two, and encoded back") {
    side.clock_policy = ClockPolicy::bounded;
    const JointSpace space({}, side);
    const Point fast = point_with_rows(space, 8), slow = point_with_rows(space, 16);
    CHECK(space.decode(fast).accelerator.clock_mhz == 200);
    CHECK(space.decode(slow).accelerator.clock_mhz == 120);
    CHECK(space.encode(space.decode(slow)) == slow);
    Candidate wrong = space.decode(slow);
    wrong.accelerator.clock_mhz = 150;  // neither the baseline nor the bound
    CHECK_THROWS_WITH(space.encode(wrong), Catch::Contains("clock_mhz"));
  }
  SECTION("reject: a configuration that cannot meet the clock is outside the space") {
    side.clock_policy = ClockPolicy::reject;
    const JointSpace space({}, side);
    CHECK(!space.check(point_with_rows(space, 8)));
    const auto problem = space.check(point_with_rows(space, 16));
    REQUIRE(problem);
    CHECK_THAT(*problem, Catch::Contains("clock_mhz: 200 MHz exceeds the 120 MHz"));
  }
  SECTION("as_given: the baseline clock everywhere") {
    side.clock_policy = ClockPolicy::as_given;
    const JointSpace space({}, side);
    CHECK(space.decode(point_with_rows(space, 16)).accelerator.clock_mhz == 200);
  }
}

TEST_CASE("joint space: flows/edge-tpu-like.yaml searches the mesh with the core's knobs") {
  const SearchFlow flow = load_search_flow(std::string(TANDEM_SOURCE_DIR) + "/flows/edge-tpu-like.yaml");
  AcceleratorSide accelerator;
  accelerator.base = flow.flow.accelerator;
  accelerator.values = flow.hardware_values;
  const JointSpace space({&NetworkSpace::proxy()}, accelerator);
  const std::vector<std::string> names = gene_names(space);
  for (const char* gene : {"hw.mesh.x", "hw.mesh.y", "hw.array.rows", "hw.vector.lanes",
                           "hw.buffers.input_kib", "hw.dram.bytes_per_cycle"}) {
    INFO(gene);
    CHECK(std::find(names.begin(), names.end(), gene) != names.end());
  }
  const std::size_t mesh_x = static_cast<std::size_t>(
      std::find(names.begin(), names.end(), "hw.mesh.x") - names.begin());
  CHECK(space.hardware_values(mesh_x) == std::vector<std::int64_t>{1, 2, 4});
}
