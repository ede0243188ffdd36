// random: uniform samples of the space, the baseline every other strategy has to beat.
#include <memory>

#include "search/tell_driven_strategy.h"

namespace tandem {

namespace {

class RandomStrategy final : public TellDrivenStrategy {
 public:
  RandomStrategy(const SearchSpace& space, const StrategyOptions& options)
      : TellDrivenStrategy(space, options) {}

 private:
  Point propose(std::mt19937_64& rng) override { return space().sample(rng); }
  void learn(const Point&, const Feedback&) override {}
};

[[maybe_unused]] const bool registered = register_strategy(
    "random", "uniform samples of the space (each gene uniform among its allowed choices)",
    [](const SearchSpace& space, const StrategyOptions& options) {
      return std::make_unique<RandomStrategy>(space, options);
    });

}  // namespace

}  // namespace tandem
