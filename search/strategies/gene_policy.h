// The learned controllers' policy (controller.cpp: REINFORCE, ppo.cpp: PPO): one softmax over
// each gene's choices, masked to the choices allowed given the earlier genes and sampled gene
// by gene, so one policy covers the network and the accelerator decisions jointly; Adam
// ascent on its logits. Also how the controllers reward a failed point.
#pragma once

#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "search/search_space.h"

namespace tandem {

class GenePolicy {
 public:
  using Logits = std::vector<std::vector<double>>;  // per gene, per choice

  explicit GenePolicy(const SearchSpace& space);

  // A point drawn gene by gene; a draw failing check() (cross-field constraints the per-gene
  // masks cannot see) is drawn again, up to 32 times, then repaired.
  Point sample(std::mt19937_64& rng) const;
  double log_probability(const Point& point) const;
  // Adds weight * d log p(point) / d logits to `gradient` (shaped like the logits).
  void add_log_probability_gradient(const Point& point, double weight, Logits& gradient) const;
  Logits zero_gradient() const;
  // One Adam step up `gradient` (Kingma and Ba 2015).
  void ascend(const Logits& gradient, double learning_rate);

 private:
  // Softmax of the gene's logits over `choices` (the others have probability 0).
  std::vector<double> probabilities(std::size_t gene, const std::vector<int>& choices) const;

  const SearchSpace& space_;
  Logits logits_;
  Logits first_moment_, second_moment_;
  int steps_ = 0;
};

// The controllers reward a failed point a margin (10% of the range of successful rewards) below
// the worst success seen, so the policy learns to avoid failures without one of them swamping
// the scale of the rewards.
class FailureReward {
 public:
  void observe_success(double reward);
  double failure() const;

 private:
  double worst_ = std::numeric_limits<double>::infinity();  // of the successful rewards
  double best_ = -std::numeric_limits<double>::infinity();
};

}  // namespace tandem
