// nsga2: NSGA-II (Deb et al. 2002) over Feedback::objectives, or over the negated reward when
// the study is single-objective. Generational and elitist: the first `population` points told
// are the first parents; once as many offspring have been told, parents and offspring compete
// and the best `population` by (front, crowding distance) survive. Failed points rank after
// every feasible one.
#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <stdexcept>

#include "core/random.h"
#include "search/pareto.h"
#include "search/point_operators.h"
#include "search/strategies/strategy_defaults.h"
#include "search/tell_driven_strategy.h"

namespace tandem {

namespace {

struct Member {
  Point point;
  Objectives objectives;  // minimized; empty when infeasible
  bool feasible = false;
};

// Front index and crowding distance of each member; infeasible members share the front after
// the last feasible one.
struct Ranking {
  std::vector<std::size_t> front;
  std::vector<double> crowding;

  bool better(std::size_t a, std::size_t b) const {
    if (front[a] != front[b]) return front[a] < front[b];
    return crowding[a] > crowding[b];
  }
};

Ranking rank(const std::vector<Member>& members) {
  std::vector<std::size_t> feasible;
  std::vector<Objectives> objectives;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!members[i].feasible) continue;
    feasible.push_back(i);
    objectives.push_back(members[i].objectives);
  }
  const auto fronts = non_dominated_sort(objectives);
  Ranking ranking{std::vector<std::size_t>(members.size(), fronts.size()),
                  std::vector<double>(members.size(), 0.0)};
  for (std::size_t f = 0; f < fronts.size(); ++f) {
    const std::vector<double> crowding = crowding_distance(objectives, fronts[f]);
    for (std::size_t k = 0; k < fronts[f].size(); ++k) {
      ranking.front[feasible[fronts[f][k]]] = f;
      ranking.crowding[feasible[fronts[f][k]]] = crowding[k];
    }
  }
  return ranking;
}

class Nsga2 final : public TellDrivenStrategy {
 public:
  Nsga2(const SearchSpace& space, const StrategyOptions& options)
      : TellDrivenStrategy(space, options),
        population_size_(static_cast<std::size_t>(
            std::max(0, population_or(options, default_evolution_population)))),
        // The customary 1/n: on average one gene changes besides what crossover mixes.
        mutation_probability_(1.0 /
                              static_cast<double>(std::max<std::size_t>(1, space.genes().size()))) {
    if (population_size_ < 2) throw std::invalid_argument("nsga2: population must be at least 2");
  }

 private:
  Point propose(std::mt19937_64& rng) override {
    if (!formed()) return space().sample(rng);
    const Point& mother = parents_[tournament(rng)].point;
    const Point& father = parents_[tournament(rng)].point;
    return mutate_each_gene(space(), uniform_crossover(space(), mother, father, rng),
                            mutation_probability_, rng);
  }

  void learn(const Point& point, const Feedback& feedback) override {
    Member member{point, {}, false};
    if (feedback.ok) {
      member.objectives =
          options().multi_objective ? feedback.objectives : Objectives{-feedback.reward};
      member.feasible = std::none_of(member.objectives.begin(), member.objectives.end(),
                                     [](double value) { return std::isnan(value); });
      check_objective_count(member.objectives);
    }
    if (!formed()) {
      parents_.push_back(std::move(member));
      if (formed()) ranking_ = rank(parents_);
      return;
    }
    offspring_.push_back(std::move(member));
    if (offspring_.size() >= population_size_) next_generation();
  }

  bool formed() const { return parents_.size() >= population_size_; }

  // Binary tournament on (front, crowding distance).
  std::size_t tournament(std::mt19937_64& rng) const {
    const auto a = static_cast<std::size_t>(uniform_index(rng, static_cast<int>(parents_.size())));
    const auto b = static_cast<std::size_t>(uniform_index(rng, static_cast<int>(parents_.size())));
    return ranking_.better(b, a) ? b : a;
  }

  void next_generation() {
    std::vector<Member> everyone = std::move(parents_);
    for (Member& child : offspring_) everyone.push_back(std::move(child));
    offspring_.clear();
    const Ranking ranking = rank(everyone);
    std::vector<std::size_t> order(everyone.size());
    std::iota(order.begin(), order.end(), 0);
    // Sorting by (front, crowding) and cutting is NSGA-II's front filling with the last front
    // truncated by crowding; stable so that ties keep the older member.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return ranking.better(a, b); });
    parents_.clear();
    for (std::size_t k = 0; k < population_size_; ++k) {
      parents_.push_back(std::move(everyone[order[k]]));
    }
    ranking_ = rank(parents_);
  }

  void check_objective_count(const Objectives& objectives) {
    if (objectives.empty()) {
      throw std::invalid_argument("nsga2: a successful trial was told no objectives");
    }
    if (objective_count_ == 0) objective_count_ = objectives.size();
    if (objectives.size() != objective_count_) {
      throw std::invalid_argument("nsga2: a trial was told " + std::to_string(objectives.size()) +
                                  " objectives, earlier ones " + std::to_string(objective_count_));
    }
  }

  const std::size_t population_size_;
  const double mutation_probability_;
  std::size_t objective_count_ = 0;
  std::vector<Member> parents_;
  std::vector<Member> offspring_;  // told since the last generation
  Ranking ranking_;                // of parents_
};

[[maybe_unused]] const bool registered = register_strategy(
    "nsga2",
    "NSGA-II on the objectives (on the reward when single-objective): binary tournament on "
    "(front, crowding), uniform crossover, per-gene mutation 1/genes, elitist generations of "
    "`population`",
    [](const SearchSpace& space, const StrategyOptions& options) {
      return std::make_unique<Nsga2>(space, options);
    });

}  // namespace

}  // namespace tandem
