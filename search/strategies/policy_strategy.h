// The loop shared by the learned controllers (controller: REINFORCE, ppo: PPO): propose by
// sampling the GenePolicy; learn by collecting told points into a batch of `population` and
// handing the full batch to update(), the only place the policy changes. The batch is
// `population`, by default default_controller_batch (strategy_defaults.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "search/strategies/gene_policy.h"
#include "search/tell_driven_strategy.h"

namespace tandem {

class PolicyStrategy : public TellDrivenStrategy {
 protected:
  // Throws std::invalid_argument, naming `name`, for a population below 1 or a learning rate
  // that is not positive.
  PolicyStrategy(const SearchSpace& space, const StrategyOptions& options, const std::string& name);

  struct Sample {
    Point point;
    double reward = 0;           // a failure's is FailureReward::failure() at update time
    double log_probability = 0;  // under the policy when it was told
  };
  virtual void update(const std::vector<Sample>& batch) = 0;

  GenePolicy& policy() { return policy_; }
  int batch_size() const { return batch_size_; }

 private:
  Point propose(std::mt19937_64& rng) override { return policy_.sample(rng); }
  void learn(const Point& point, const Feedback& feedback) override;

  const int batch_size_;
  GenePolicy policy_;
  FailureReward failure_reward_;
  std::vector<std::optional<double>> rewards_;  // of the batch; none: failed
  std::vector<Sample> batch_;                   // told since the last update
};

}  // namespace tandem
