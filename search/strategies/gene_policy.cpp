#include "search/strategies/gene_policy.h"

#include <algorithm>
#include <cmath>

#include "search/point_operators.h"

namespace tandem {

namespace {

// Draws of the policy before falling back to repair when check() rejects them.
constexpr int policy_draws = 32;
constexpr double adam_beta1 = 0.9;
constexpr double adam_beta2 = 0.999;
constexpr double adam_epsilon = 1e-8;

}  // namespace

GenePolicy::GenePolicy(const SearchSpace& space) : space_(space) {
  for (const Gene& gene : space.genes()) logits_.emplace_back(gene.choices.size(), 0.0);
  first_moment_ = second_moment_ = logits_;
}

std::vector<double> GenePolicy::probabilities(std::size_t gene,
                                              const std::vector<int>& choices) const {
  const std::vector<double>& logits = logits_[gene];
  double top = -std::numeric_limits<double>::infinity();
  for (int c : choices) top = std::max(top, logits[static_cast<std::size_t>(c)]);
  std::vector<double> p;
  double total = 0;
  for (int c : choices) {
    p.push_back(std::exp(logits[static_cast<std::size_t>(c)] - top));
    total += p.back();
  }
  for (double& value : p) value /= total;
  return p;
}

Point GenePolicy::sample(std::mt19937_64& rng) const {
  Point point(space_.genes().size(), 0);
  for (int draw = 0; draw < policy_draws; ++draw) {
    for (std::size_t gene = 0; gene < point.size(); ++gene) {
      const std::vector<int> choices = space_.allowed(point, gene);
      const std::vector<double> p = probabilities(gene, choices);
      double u = unit_interval(rng);
      std::size_t k = 0;
      while (k + 1 < choices.size() && u >= p[k]) u -= p[k++];
      point[gene] = choices[k];
    }
    if (!space_.check(point)) return point;
  }
  return space_.repair(std::move(point), rng);
}

double GenePolicy::log_probability(const Point& point) const {
  double log_p = 0;
  for (std::size_t gene = 0; gene < point.size(); ++gene) {
    const std::vector<int> choices = space_.allowed(point, gene);
    const std::vector<double> p = probabilities(gene, choices);
    for (std::size_t k = 0; k < choices.size(); ++k) {
      if (choices[k] == point[gene]) log_p += std::log(p[k]);
    }
  }
  return log_p;
}

void GenePolicy::add_log_probability_gradient(const Point& point, double weight,
                                              Logits& gradient) const {
  for (std::size_t gene = 0; gene < point.size(); ++gene) {
    const std::vector<int> choices = space_.allowed(point, gene);
    const std::vector<double> p = probabilities(gene, choices);
    for (std::size_t k = 0; k < choices.size(); ++k) {
      const double indicator = choices[k] == point[gene] ? 1.0 : 0.0;
      gradient[gene][static_cast<std::size_t>(choices[k])] += weight * (indicator - p[k]);
    }
  }
}

GenePolicy::Logits GenePolicy::zero_gradient() const {
  Logits zero = logits_;
  for (auto& gene : zero) std::fill(gene.begin(), gene.end(), 0.0);
  return zero;
}

void GenePolicy::ascend(const Logits& gradient, double learning_rate) {
  ++steps_;
  const double correction1 = 1 - std::pow(adam_beta1, steps_);
  const double correction2 = 1 - std::pow(adam_beta2, steps_);
  for (std::size_t gene = 0; gene < logits_.size(); ++gene) {
    for (std::size_t k = 0; k < logits_[gene].size(); ++k) {
      const double g = gradient[gene][k];
      double& m = first_moment_[gene][k];
      double& v = second_moment_[gene][k];
      m = adam_beta1 * m + (1 - adam_beta1) * g;
      v = adam_beta2 * v + (1 - adam_beta2) * g * g;
      logits_[gene][k] +=
          learning_rate * (m / correction1) / (std::sqrt(v / correction2) + adam_epsilon);
    }
  }
}

void FailureReward::observe_success(double reward) {
  worst_ = std::min(worst_, reward);
  best_ = std::max(best_, reward);
}

double FailureReward::failure() const {
  if (worst_ > best_) return 0;  // no success yet: every point of the batch is alike
  const double spread = best_ - worst_;
  return worst_ - (spread > 0 ? 0.1 * spread : 0.1 * std::max(1.0, std::abs(worst_)));
}

}  // namespace tandem
