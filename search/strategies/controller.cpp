// controller: the learned controller of Zhou et al. 2021 (as in MnasNet/TuNAS): one softmax
// policy per gene over its choices, masked to the choices allowed given the earlier genes and
// sampled gene by gene, so one policy covers the network and the accelerator decisions
// jointly. Trained by REINFORCE with a moving-average baseline and Adam, one step per
// `population` points told. Failed points are rewarded a margin below the worst success seen,
// so the policy learns to avoid them without one failure swamping the scale of the rewards.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>

#include "search/point_operators.h"
#include "search/tell_driven_strategy.h"

namespace tandem {

namespace {

// Draws of the policy before falling back to repair when check() rejects them (cross-field
// constraints the per-gene masks cannot see).
constexpr int policy_draws = 32;
// Exponential moving average of the reward, per trial.
constexpr double baseline_decay = 0.95;
constexpr double adam_beta1 = 0.9;
constexpr double adam_beta2 = 0.999;
constexpr double adam_epsilon = 1e-8;

class Controller final : public TellDrivenStrategy {
 public:
  Controller(const SearchSpace& space, const StrategyOptions& options)
      : TellDrivenStrategy(space, options),
        batch_size_(static_cast<std::size_t>(options.population)) {
    if (options.population < 1) {
      throw std::invalid_argument("controller: population (the batch) must be at least 1");
    }
    if (!(options.learning_rate > 0)) {
      throw std::invalid_argument("controller: learning_rate must be positive");
    }
    for (const Gene& gene : space.genes()) logits_.emplace_back(gene.choices.size(), 0.0);
    first_moment_ = second_moment_ = logits_;
  }

 private:
  struct Told {
    Point point;
    std::optional<double> reward;  // none: failed
  };

  Point propose(std::mt19937_64& rng) override {
    Point point(space().genes().size(), 0);
    for (int draw = 0; draw < policy_draws; ++draw) {
      for (std::size_t gene = 0; gene < point.size(); ++gene) {
        const std::vector<int> choices = space().allowed(point, gene);
        const std::vector<double> p = probabilities(gene, choices);
        double u = unit_interval(rng);
        std::size_t k = 0;
        while (k + 1 < choices.size() && u >= p[k]) u -= p[k++];
        point[gene] = choices[k];
      }
      if (!space().check(point)) return point;
    }
    return space().repair(std::move(point), rng);
  }

  void learn(const Point& point, const Feedback& feedback) override {
    Told told{point, std::nullopt};
    if (feedback.ok && !std::isnan(feedback.reward)) {
      told.reward = feedback.reward;
      worst_ = std::min(worst_, feedback.reward);
      best_ = std::max(best_, feedback.reward);
    }
    batch_.push_back(std::move(told));
    if (batch_.size() >= batch_size_) update();
  }

  // Softmax of the gene's logits over `choices` (the others have probability 0).
  std::vector<double> probabilities(std::size_t gene, const std::vector<int>& choices) const {
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

  double failure_reward() const {
    if (worst_ > best_) return 0;  // no success yet: every point of the batch is alike
    const double spread = best_ - worst_;
    return worst_ - (spread > 0 ? 0.1 * spread : 0.1 * std::max(1.0, std::abs(worst_)));
  }

  // One REINFORCE step: gradient of sum (reward - baseline) * log p(point) over the batch.
  void update() {
    std::vector<double> rewards;
    for (const Told& told : batch_) {
      rewards.push_back(told.reward ? *told.reward : failure_reward());
    }
    if (!baseline_) {
      double sum = 0;
      for (double r : rewards) sum += r;
      baseline_ = sum / static_cast<double>(rewards.size());
    }
    std::vector<std::vector<double>> gradient = logits_;
    for (auto& gene : gradient) std::fill(gene.begin(), gene.end(), 0.0);
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      const double advantage = (rewards[i] - *baseline_) / static_cast<double>(batch_.size());
      const Point& point = batch_[i].point;
      for (std::size_t gene = 0; gene < point.size(); ++gene) {
        const std::vector<int> choices = space().allowed(point, gene);
        const std::vector<double> p = probabilities(gene, choices);
        for (std::size_t k = 0; k < choices.size(); ++k) {
          const double indicator = choices[k] == point[gene] ? 1.0 : 0.0;
          gradient[gene][static_cast<std::size_t>(choices[k])] += advantage * (indicator - p[k]);
        }
      }
    }
    for (double r : rewards) *baseline_ = baseline_decay * *baseline_ + (1 - baseline_decay) * r;
    adam_ascent(gradient);
    batch_.clear();
  }

  void adam_ascent(const std::vector<std::vector<double>>& gradient) {
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
        logits_[gene][k] += options().learning_rate * (m / correction1) /
                            (std::sqrt(v / correction2) + adam_epsilon);
      }
    }
  }

  const std::size_t batch_size_;
  std::vector<std::vector<double>> logits_;  // per gene, per choice
  std::vector<std::vector<double>> first_moment_, second_moment_;
  int steps_ = 0;
  std::optional<double> baseline_;
  double worst_ = std::numeric_limits<double>::infinity();  // of the successful rewards
  double best_ = -std::numeric_limits<double>::infinity();
  std::vector<Told> batch_;  // told since the last update
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
