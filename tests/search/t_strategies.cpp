#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include "search/pareto.h"
#include "search/strategy.h"

using namespace tandem;

namespace {

// A grid of `genes` genes with `choices` choices each, with one conditional gene (gene 1 is
// pinned to 0 while gene 0 is 0) and one cross-field constraint (genes 2 and 3 may not sum to
// more than `choices`), so that strategies must respect both allowed() and check().
class GridSpace : public SearchSpace {
 public:
  GridSpace(int genes, int choices) : choices_(choices) {
    for (int g = 0; g < genes; ++g) {
      Gene gene{"g" + std::to_string(g), {}};
      for (int c = 0; c < choices; ++c) gene.choices.push_back(std::to_string(c));
      genes_.push_back(gene);
    }
  }
  const std::vector<Gene>& genes() const override { return genes_; }
  std::vector<int> allowed(const Point& point, std::size_t gene) const override {
    if (gene == 1 && point[0] == 0) return {0};
    std::vector<int> all(static_cast<std::size_t>(choices_));
    for (int c = 0; c < choices_; ++c) all[static_cast<std::size_t>(c)] = c;
    return all;
  }
  std::optional<std::string> check(const Point& point) const override {
    if (point.size() != genes_.size()) return std::string("wrong size");
    for (std::size_t g = 0; g < point.size(); ++g) {
      const auto ok = allowed(point, g);
      if (std::find(ok.begin(), ok.end(), point[g]) == ok.end()) {
        return "g" + std::to_string(g) + " not allowed";
      }
    }
    if (point[2] + point[3] > choices_) return std::string("g2 + g3 too large");
    return std::nullopt;
  }
  int choices() const { return choices_; }

 private:
  int choices_;
  std::vector<Gene> genes_;
};

using Objective = std::function<Feedback(const Point&)>;

// Single objective with a unique optimum inside the space: reward = -sum |x - target|.
Feedback distance_to_target(const Point& point) {
  static const std::vector<int> target = {4, 2, 1, 3, 5, 0, 2, 4};
  Feedback feedback{true, 0, {}};
  for (std::size_t g = 0; g < point.size(); ++g) {
    feedback.reward -= std::abs(point[g] - target[g % target.size()]);
  }
  feedback.objectives = {-feedback.reward};
  return feedback;
}

// Like distance_to_target, but points with g4 == 1 fail (the evaluation broke).
Feedback distance_or_failure(const Point& point) {
  if (point[4] == 1) return Feedback{false, 0, {}};
  return distance_to_target(point);
}

// ZDT1-like, both minimized, on a 6-choice grid: f1 = g0 / 5, f2 = h * (1 - sqrt(f1 / h)) with
// h = 1 + 9 * mean(g1..)/5. The front needs every gene but g0 at 0.
Feedback zdt(const Point& point) {
  double rest = 0;
  for (std::size_t g = 1; g < point.size(); ++g) rest += point[g];
  const double f1 = point[0] / 5.0;
  const double h = 1 + 9 * rest / (5.0 * static_cast<double>(point.size() - 1));
  Feedback feedback{true, 0, {f1, h * (1 - std::sqrt(f1 / h))}};
  feedback.reward = -(feedback.objectives[0] + feedback.objectives[1]);
  return feedback;
}

// zdt, but points with g4 == 1 fail.
Feedback zdt_or_failure(const Point& point) {
  if (point[4] == 1) return Feedback{false, 0, {}};
  return zdt(point);
}

struct Trial {
  Point point;
  Feedback feedback;
};

// ask(batch)/tell rounds until `budget` points have been evaluated.
std::vector<Trial> run(const std::string& name, const SearchSpace& space, StrategyOptions options,
                       const Objective& objective, int budget, int batch = 4) {
  auto strategy = make_strategy(name, space, options);
  std::vector<Trial> trials;
  while (static_cast<int>(trials.size()) < budget) {
    const auto count =
        static_cast<std::size_t>(std::min(batch, budget - static_cast<int>(trials.size())));
    for (const Point& point : strategy->ask(count)) {
      trials.push_back({point, objective(point)});
      strategy->tell(point, trials.back().feedback);
    }
  }
  return trials;
}

std::vector<Point> points_of(const std::vector<Trial>& trials) {
  std::vector<Point> points;
  for (const Trial& trial : trials) points.push_back(trial.point);
  return points;
}

double best_reward(const std::vector<Trial>& trials) {
  double best = -1e300;
  for (const Trial& trial : trials) {
    if (trial.feedback.ok) best = std::max(best, trial.feedback.reward);
  }
  return best;
}

double hypervolume(const std::vector<Trial>& trials) {
  std::vector<Objectives> objectives;
  for (const Trial& trial : trials) objectives.push_back(trial.feedback.objectives);
  // Only points with f2 < 1.1 count, which takes g1..g7 near 0 unless g0 is large.
  return hypervolume_2d(objectives, {1.1, 1.1});
}

// Mean over seeds 1..5 of `measure` on a run of `budget` trials.
double mean_over_seeds(const std::string& name, const SearchSpace& space, StrategyOptions options,
                       const Objective& objective, int budget,
                       const std::function<double(const std::vector<Trial>&)>& measure) {
  double sum = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    options.seed = seed;
    sum += measure(run(name, space, options, objective, budget));
  }
  return sum / 5;
}

const std::vector<std::string> all_strategies = {"bayesian", "controller", "evolution",
                                                  "nsga2",    "ppo",        "random"};

}  // namespace

TEST_CASE("the built-in strategies are registered with descriptions") {
  CHECK(strategy_names() == all_strategies);
  for (const std::string& name : all_strategies) CHECK_FALSE(strategy_description(name).empty());
}

TEST_CASE("an unknown strategy name is an error naming the valid ones") {
  const GridSpace space(8, 6);
  CHECK_THROWS_WITH(make_strategy("anneal", space, {}),
                    "unknown strategy 'anneal' (valid: bayesian, controller, evolution, nsga2, ppo, "
                    "random)");
  CHECK_THROWS_AS(strategy_description("anneal"), std::invalid_argument);
}

TEST_CASE("strategies reject options they cannot work with") {
  const GridSpace space(8, 6);
  StrategyOptions options;
  options.population = 1;
  CHECK_THROWS_WITH(make_strategy("evolution", space, options), Catch::Contains("population"));
  CHECK_THROWS_WITH(make_strategy("nsga2", space, options), Catch::Contains("population"));
  options.population = 8;
  options.sample_size = 9;
  CHECK_THROWS_WITH(make_strategy("evolution", space, options), Catch::Contains("sample_size"));
  // Each (strategy, one bad option, the word its message must name).
  const std::vector<std::tuple<std::string, std::function<void(StrategyOptions&)>, std::string>> bad = {
      {"controller", [](StrategyOptions& o) { o.learning_rate = 0; }, "learning_rate"},
      {"ppo", [](StrategyOptions& o) { o.learning_rate = 0; }, "learning_rate"},
      {"ppo", [](StrategyOptions& o) { o.population = 1; }, "population"},
      {"ppo", [](StrategyOptions& o) { o.clip = 1; }, "clip"},
      {"ppo", [](StrategyOptions& o) { o.ppo_epochs = 0; }, "ppo_epochs"},
      {"bayesian", [](StrategyOptions& o) { o.initial_points = 0; }, "initial_points"},
      {"bayesian", [](StrategyOptions& o) { o.candidates = 0; }, "candidates"},
  };
  for (const auto& [name, spoil, word] : bad) {
    StrategyOptions spoiled;
    spoil(spoiled);
    CHECK_THROWS_WITH(make_strategy(name, space, spoiled), Catch::Contains(word));
  }
}

TEST_CASE("every strategy proposes only valid points, failures included") {
  const GridSpace space(8, 6);
  for (const std::string& name : all_strategies) {
    for (bool multi_objective : {false, true}) {
      INFO(name << (multi_objective ? " multi-objective" : ""));
      StrategyOptions options;
      options.multi_objective = multi_objective;
      const auto trials = run(name, space, options, distance_or_failure, 300, 5);
      int failures = 0;
      for (const Trial& trial : trials) {
        INFO(space.describe(trial.point));
        REQUIRE_FALSE(space.check(trial.point));
        failures += trial.feedback.ok ? 0 : 1;
      }
      CHECK(failures > 0);  // the failure path was exercised
    }
  }
}

TEST_CASE("the same seed gives the same points, another seed other points") {
  const GridSpace space(8, 6);
  for (const std::string& name : all_strategies) {
    INFO(name);
    StrategyOptions options;
    options.seed = 7;
    const auto first = points_of(run(name, space, options, distance_or_failure, 120, 3));
    const auto again = points_of(run(name, space, options, distance_or_failure, 120, 3));
    options.seed = 8;
    const auto other = points_of(run(name, space, options, distance_or_failure, 120, 3));
    CHECK(first == again);
    CHECK(first != other);
  }
}

TEST_CASE("replaying the told feedback rebuilds a strategy (resume after kill -9)") {
  const GridSpace space(8, 6);
  for (const std::string& name : all_strategies) {
    // 37 trials: the replay ends mid-batch, mid-generation and between controller updates.
    for (int told : {36, 37}) {
      for (bool multi_objective : {false, true}) {
        INFO(name << " after " << told << " trials" << (multi_objective ? ", multi-objective" : ""));
        const Objective objective = multi_objective ? zdt_or_failure : distance_or_failure;
        StrategyOptions options;
        options.seed = 3;
        options.population = 8;
        options.multi_objective = multi_objective;
        auto original = make_strategy(name, space, options);
        std::vector<Trial> trials;
        while (static_cast<int>(trials.size()) < told) {
          const auto count =
              static_cast<std::size_t>(std::min(4, told - static_cast<int>(trials.size())));
          for (const Point& point : original->ask(count)) {
            trials.push_back({point, objective(point)});
            original->tell(point, trials.back().feedback);
          }
        }
        const std::vector<Point> next = original->ask(4);

        auto told_only = make_strategy(name, space, options);
        for (const Trial& trial : trials) told_only->tell(trial.point, trial.feedback);
        CHECK(told_only->ask(4) == next);

        auto asked_and_told = make_strategy(name, space, options);
        for (std::size_t i = 0; i < trials.size(); i += 4) {
          const std::size_t count = std::min<std::size_t>(4, trials.size() - i);
          const auto asked = asked_and_told->ask(count);
          for (std::size_t k = 0; k < count; ++k) {
            CHECK(asked[k] == trials[i + k].point);
            asked_and_told->tell(trials[i + k].point, trials[i + k].feedback);
          }
        }
        CHECK(asked_and_told->ask(4) == next);
      }
    }
  }
}

TEST_CASE("asking again before telling gives new points, not the same ones") {
  const GridSpace space(8, 6);
  for (const std::string& name : all_strategies) {
    INFO(name);
    auto strategy = make_strategy(name, space, {});
    const auto first = strategy->ask(3);
    const auto second = strategy->ask(3);
    for (const Point& point : second) {
      CHECK(std::find(first.begin(), first.end(), point) == first.end());
    }
  }
}

TEST_CASE("strategies avoid proposing a point twice") {
  // 4 genes of 3 choices: at most 81 points, 62 of them valid. 45 independent uniform draws
  // would repeat about ten points.
  const GridSpace space(4, 3);
  for (const std::string& name : all_strategies) {
    INFO(name);
    const auto points = points_of(run(name, space, {}, distance_to_target, 45, 3));
    const std::set<Point> distinct(points.begin(), points.end());
    CHECK(points.size() - distinct.size() <= 2);
  }
}

TEST_CASE("told a point of the wrong size, a strategy throws") {
  const GridSpace space(8, 6);
  for (const std::string& name : all_strategies) {
    auto strategy = make_strategy(name, space, {});
    CHECK_THROWS_AS(strategy->tell({1, 2}, Feedback{true, 0, {0}}), std::invalid_argument);
  }
}

TEST_CASE("evolution, nsga2 and the controllers beat random on a single objective") {
  // Optimum reward 0; 6^8 points. Best found after 240 trials, mean over five seeds. A batch
  // of 8 lets the controller take 30 steps in that budget.
  const GridSpace space(8, 6);
  StrategyOptions options;
  options.population = 8;
  options.learning_rate = 0.1;
  const double random =
      mean_over_seeds("random", space, options, distance_or_failure, 240, best_reward);
  for (const char* name : {"evolution", "nsga2", "controller", "ppo"}) {
    INFO(name << " vs random " << random);
    CHECK(mean_over_seeds(name, space, options, distance_or_failure, 240, best_reward) >
          random + 2);
  }
}

TEST_CASE("bayesian beats random within 60 trials") {
  // The model pays off early: after its 10 random points, 50 proposals from the GP.
  const GridSpace space(8, 6);
  double random = 0, bayesian = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    StrategyOptions options;
    options.seed = seed;
    random += best_reward(run("random", space, options, distance_or_failure, 60)) / 3;
    bayesian += best_reward(run("bayesian", space, options, distance_or_failure, 60)) / 3;
  }
  INFO("bayesian " << bayesian << " random " << random);
  CHECK(bayesian > random + 3);
}

TEST_CASE("bayesian proposes fewer infeasible points than random where most points fail") {
  // Two thirds of the space fails (g5 >= 2), unrelated to the reward: the classifier learns it.
  const GridSpace space(8, 6);
  const Objective mostly_failing = [](const Point& point) {
    return point[5] >= 2 ? Feedback{false, 0, {}} : distance_to_target(point);
  };
  int random = 0, bayesian = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    StrategyOptions options;
    options.seed = seed;
    for (const Trial& trial : run("random", space, options, mostly_failing, 80)) random += !trial.feedback.ok;
    for (const Trial& trial : run("bayesian", space, options, mostly_failing, 80)) bayesian += !trial.feedback.ok;
  }
  INFO("infeasible proposals of 240: bayesian " << bayesian << ", random " << random);
  CHECK(random > 120);
  CHECK(bayesian < random / 2);
}

TEST_CASE("nsga2 beats random on the hypervolume of two objectives") {
  const GridSpace space(8, 6);
  StrategyOptions options;
  options.population = 8;
  options.multi_objective = true;
  const double random = mean_over_seeds("random", space, options, zdt, 240, hypervolume);
  const double nsga2 = mean_over_seeds("nsga2", space, options, zdt, 240, hypervolume);
  INFO("nsga2 " << nsga2 << " random " << random);
  CHECK(nsga2 > 3 * random);
}

TEST_CASE("multi-objective bayesian beats random on the hypervolume") {
  const GridSpace space(8, 6);
  StrategyOptions options;
  options.multi_objective = true;
  double random = 0, bayesian = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    options.seed = seed;
    random += hypervolume(run("random", space, options, zdt, 80)) / 3;
    bayesian += hypervolume(run("bayesian", space, options, zdt, 80)) / 3;
  }
  INFO("bayesian " << bayesian << " random " << random);
  CHECK(bayesian > 2 * random);
}

TEST_CASE("multi-objective nsga2 and bayesian insist on the objectives") {
  const GridSpace space(8, 6);
  for (const std::string name : {"nsga2", "bayesian"}) {
    StrategyOptions options;
    options.population = 2;
    options.multi_objective = true;
    auto strategy = make_strategy(name, space, options);
    const auto points = strategy->ask(3);
    strategy->tell(points[0], Feedback{true, 0, {1, 2}});
    CHECK_THROWS_WITH(strategy->tell(points[1], Feedback{true, 0, {1}}),
                      name + ": a trial was told 1 objectives, earlier ones 2");
    CHECK_THROWS_WITH(strategy->tell(points[2], Feedback{true, 0, {}}),
                      name + ": a successful trial was told no objectives");
    strategy->tell(points[2], Feedback{false, 0, {}});  // a failure needs none
    options.multi_objective = false;
    CHECK_NOTHROW(make_strategy(name, space, options)->tell(points[0], Feedback{true, 1, {}}));
  }
}
