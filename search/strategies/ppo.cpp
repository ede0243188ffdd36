// ppo: the learned controller trained by proximal policy optimization (Schulman et al. 2017),
// as in Shi et al.'s co-design controller. The same GenePolicy as `controller`; per batch of
// `population` points told, `ppo_epochs` Adam steps on the clipped surrogate
//   mean_i min(ratio_i A_i, clip(ratio_i, 1 - clip, 1 + clip) A_i),
// ratio_i = p_new(point_i) / p_old(point_i), with p_old the policy when the point was told and
// the advantage A_i the reward normalized within the batch (mean 0, deviation 1), which keeps
// the step size independent of the reward's scale. Reusing each batch for several epochs is
// what PPO buys over REINFORCE; the clip keeps those epochs from moving the policy far.
#include <cmath>
#include <memory>
#include <stdexcept>

#include "search/strategies/policy_strategy.h"

namespace tandem {

namespace {

class Ppo final : public PolicyStrategy {
 public:
  Ppo(const SearchSpace& space, const StrategyOptions& options)
      : PolicyStrategy(space, options, "ppo") {
    if (batch_size() < 2) {
      throw std::invalid_argument("ppo: population (the batch) must be at least 2");
    }
    if (options.ppo_epochs < 1) throw std::invalid_argument("ppo: ppo_epochs must be at least 1");
    if (!(options.clip > 0 && options.clip < 1)) {
      throw std::invalid_argument("ppo: clip must be in (0, 1)");
    }
  }

 private:
  void update(const std::vector<Sample>& batch) override {
    const double n = static_cast<double>(batch.size());
    double mean = 0, variance = 0;
    for (const Sample& sample : batch) mean += sample.reward / n;
    for (const Sample& sample : batch)
      variance += (sample.reward - mean) * (sample.reward - mean) / n;
    const double deviation = std::sqrt(variance);
    if (!(deviation > 0)) return;  // every point alike: nothing to learn from this batch
    const double clip = options().clip;
    for (int epoch = 0; epoch < options().ppo_epochs; ++epoch) {
      GenePolicy::Logits gradient = policy().zero_gradient();
      for (const Sample& sample : batch) {
        const double advantage = (sample.reward - mean) / deviation;
        const double ratio =
            std::exp(policy().log_probability(sample.point) - sample.log_probability);
        // Where the clipped term is the minimum, the surrogate is flat in the policy.
        if ((advantage > 0 && ratio > 1 + clip) || (advantage < 0 && ratio < 1 - clip)) continue;
        policy().add_log_probability_gradient(sample.point, advantage * ratio / n, gradient);
      }
      policy().ascend(gradient, options().learning_rate);
    }
  }
};

[[maybe_unused]] const bool registered = register_strategy(
    "ppo",
    "learned controller trained by PPO: the controller's per-gene softmax policy, clipped "
    "surrogate (clip) over `ppo_epochs` Adam steps (learning_rate) per `population` points, "
    "advantage = reward normalized within the batch",
    [](const SearchSpace& space, const StrategyOptions& options) {
      return std::make_unique<Ppo>(space, options);
    });

}  // namespace

}  // namespace tandem
