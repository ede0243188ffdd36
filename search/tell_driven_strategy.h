// The ask/tell bookkeeping shared by the built-in strategies, arranged so that a strategy's
// state is a function of its seed and of the feedback it was told, never of the ask() calls:
// - learn() sees every told point, and is the only place where a strategy's state changes;
// - each ask() draws from a generator seeded by (seed, points told so far, points asked and not
//   yet told), so a study resumed after kill -9 rebuilds the same strategy by replaying its
//   stored feedback through tell() alone, and repeating the whole ask/tell sequence works too;
// - a proposal equal to a point already told or asked is drawn again, a few times, because
//   every evaluation costs seconds of training;
// - every proposal is a valid point (repaired if a strategy's proposal fails check()).
#pragma once

#include <cstdint>
#include <random>
#include <set>

#include "search/strategy.h"

namespace tandem {

class TellDrivenStrategy : public Strategy {
 public:
  std::vector<Point> ask(std::size_t count) final;
  // Throws std::invalid_argument for a point with the wrong number of genes.
  void tell(const Point& point, const Feedback& feedback) final;

 protected:
  TellDrivenStrategy(const SearchSpace& space, const StrategyOptions& options);

  // One new point; called `count` times per ask() with no learn() in between.
  virtual Point propose(std::mt19937_64& rng) = 0;
  virtual void learn(const Point& point, const Feedback& feedback) = 0;

  const SearchSpace& space() const { return space_; }
  const StrategyOptions& options() const { return options_; }
  std::uint64_t told() const { return told_; }

 private:
  bool seen(const Point& point) const;

  const SearchSpace& space_;
  const StrategyOptions options_;
  std::uint64_t told_ = 0;
  std::set<Point> told_points_;
  std::multiset<Point> pending_;  // asked, not yet told
};

}  // namespace tandem
