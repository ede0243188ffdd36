// controller: the learned controller of Zhou et al. 2021 (as in MnasNet/TuNAS), a GenePolicy
// (gene_policy.h) trained by REINFORCE with a moving-average baseline and Adam, one step per
// `population` points told (policy_strategy.h).
#include <memory>
#include <optional>

#include "search/strategies/policy_strategy.h"

namespace tandem {

namespace {

// Exponential moving average of the reward, per trial.
constexpr double baseline_decay = 0.95;

class Controller final : public PolicyStrategy {
 public:
  Controller(const SearchSpace& space, const StrategyOptions& options)
      : PolicyStrategy(space, options, "controller") {}

 private:
  // One REINFORCE step: gradient of sum (reward - baseline) * log p(point) over the batch.
  void update(const std::vector<Sample>& batch) override {
    if (!baseline_) {
      double sum = 0;
      for (const Sample& sample : batch) sum += sample.reward;
      baseline_ = sum / static_cast<double>(batch.size());
    }
    GenePolicy::Logits gradient = policy().zero_gradient();
    for (const Sample& sample : batch) {
      const double advantage = (sample.reward - *baseline_) / static_cast<double>(batch.size());
      policy().add_log_probability_gradient(sample.point, advantage, gradient);
    }
    for (const Sample& sample : batch) {
      *baseline_ = baseline_decay * *baseline_ + (1 - baseline_decay) * sample.reward;
    }
    policy().ascend(gradient, options().learning_rate);
  }

  std::optional<double> baseline_;
};

[[maybe_unused]] const bool registered = register_strategy(
    "controller",
    "learned controller (Zhou et al. 2021): per-gene softmax policy masked to the allowed "
    "choices, REINFORCE with a moving-average baseline and Adam (learning_rate), one step per "
    "`population` points",
    [](const SearchSpace& space, const StrategyOptions& options) {
      return std::make_unique<Controller>(space, options);
    });

}  // namespace

}  // namespace tandem
