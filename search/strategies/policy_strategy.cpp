#include "search/strategies/policy_strategy.h"

#include <cmath>
#include <stdexcept>

#include "search/strategies/strategy_defaults.h"

namespace tandem {

PolicyStrategy::PolicyStrategy(const SearchSpace& space, const StrategyOptions& options,
                               const std::string& name)
    : TellDrivenStrategy(space, options),
      batch_size_(population_or(options, default_controller_batch)),
      policy_(space) {
  if (batch_size_ < 1) {
    throw std::invalid_argument(name + ": population (the batch) must be at least 1");
  }
  if (!(options.learning_rate > 0)) {
    throw std::invalid_argument(name + ": learning_rate must be positive");
  }
}

void PolicyStrategy::learn(const Point& point, const Feedback& feedback) {
  std::optional<double> reward;
  if (feedback.ok && !std::isnan(feedback.reward)) {
    reward = feedback.reward;
    failure_reward_.observe_success(feedback.reward);
  }
  rewards_.push_back(reward);
  batch_.push_back({point, 0.0, policy_.log_probability(point)});
  if (batch_.size() < static_cast<std::size_t>(batch_size_)) return;
  for (std::size_t i = 0; i < batch_.size(); ++i) {
    batch_[i].reward = rewards_[i] ? *rewards_[i] : failure_reward_.failure();
  }
  update(batch_);
  batch_.clear();
  rewards_.clear();
}

}  // namespace tandem
