// The search contract (ask/tell, as Timeloop's Next()/Report()): a strategy proposes points of a
// SearchSpace and is told how each one did. Strategies register themselves by name, so adding
// one (constrained Bayesian optimization, say) is one file under search/strategies/.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "search/search_space.h"
#include "search/trial.h"

namespace tandem {

struct StrategyOptions {
  std::uint64_t seed = 1;
  bool multi_objective = false;  // rank by Feedback::objectives (Pareto) instead of reward
  // Evolution / NSGA-II population, controller / PPO batch; 0: the strategy's default
  // (16 for evolution and nsga2, 4 for the controllers; search/strategies/strategy_defaults.h).
  int population = 0;
  int sample_size = 4;           // aging evolution tournament size
  double learning_rate = 0.1;    // controller, ppo (Adam step)
  int ppo_epochs = 3;            // ppo: Adam steps per batch on the clipped surrogate
  double clip = 0.2;             // ppo: the surrogate's ratio clip epsilon
  int initial_points = 10;       // bayesian: random points before the model proposes
  int candidates = 256;          // bayesian: acquisition evaluations per proposal
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // `count` new points. Deterministic: the same seed and the same sequence of tell() calls
  // give the same points, which is how a study resumes (docs/search.md).
  virtual std::vector<Point> ask(std::size_t count) = 0;
  // Called once per asked point, in the order asked, before the next ask().
  virtual void tell(const Point& point, const Feedback& feedback) = 0;
};

using StrategyFactory =
    std::function<std::unique_ptr<Strategy>(const SearchSpace&, const StrategyOptions&)>;

// Registration from a strategy's own file: static const bool registered = register_strategy(...).
bool register_strategy(const std::string& name, const std::string& description,
                       StrategyFactory factory);
// Throws std::invalid_argument naming the valid strategies for an unknown name.
std::unique_ptr<Strategy> make_strategy(const std::string& name, const SearchSpace& space,
                                        const StrategyOptions& options);
std::vector<std::string> strategy_names();
std::string strategy_description(const std::string& name);

}  // namespace tandem
