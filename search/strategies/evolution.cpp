// evolution: regularized (aging) evolution, Real et al. 2019. The population is the last P
// points told; a child mutates one gene of the best of S members drawn with replacement; the
// oldest member dies whatever its fitness, which keeps the search from clinging to a lucky
// early point.
#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <memory>
#include <stdexcept>

#include "core/random.h"
#include "search/point_operators.h"
#include "search/strategies/strategy_defaults.h"
#include "search/tell_driven_strategy.h"

namespace tandem {

namespace {

class AgingEvolution final : public TellDrivenStrategy {
 public:
  AgingEvolution(const SearchSpace& space, const StrategyOptions& options)
      : TellDrivenStrategy(space, options),
        population_size_(static_cast<std::size_t>(
            std::max(0, population_or(options, default_evolution_population)))),
        tournament_size_(options.sample_size) {
    const int population = population_or(options, default_evolution_population);
    if (population < 2) {
      throw std::invalid_argument("evolution: population must be at least 2");
    }
    if (options.sample_size < 1 || options.sample_size > population) {
      throw std::invalid_argument("evolution: sample_size must be between 1 and the population (" +
                                  std::to_string(population) + ")");
    }
  }

 private:
  struct Member {
    Point point;
    double fitness;  // the reward; failed points are worst
  };

  Point propose(std::mt19937_64& rng) override {
    if (population_.size() < population_size_) return space().sample(rng);
    const Member* winner = nullptr;
    for (int draw = 0; draw < tournament_size_; ++draw) {
      const Member& contender = population_[static_cast<std::size_t>(
          uniform_index(rng, static_cast<int>(population_.size())))];
      if (!winner || contender.fitness > winner->fitness) winner = &contender;
    }
    return mutate_one_gene(space(), winner->point, rng);
  }

  void learn(const Point& point, const Feedback& feedback) override {
    const bool usable = feedback.ok && !std::isnan(feedback.reward);
    population_.push_back(
        {point, usable ? feedback.reward : -std::numeric_limits<double>::infinity()});
    if (population_.size() > population_size_) population_.pop_front();
  }

  const std::size_t population_size_;
  const int tournament_size_;
  std::deque<Member> population_;  // oldest first
};

[[maybe_unused]] const bool registered = register_strategy(
    "evolution",
    "regularized (aging) evolution on the reward: tournament of sample_size among the last "
    "`population` points, mutate one gene of the winner, the oldest dies",
    [](const SearchSpace& space, const StrategyOptions& options) {
      return std::make_unique<AgingEvolution>(space, options);
    });

}  // namespace

}  // namespace tandem
