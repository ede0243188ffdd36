#include "search/tell_driven_strategy.h"

#include <stdexcept>

namespace tandem {

namespace {

// Draws of a proposal that repeats an earlier point before accepting the repeat (a converged
// strategy, or a space smaller than the budget, has nothing new to offer).
constexpr int fresh_point_attempts = 16;

// SplitMix64's finalizer: spreads a counter over all 64 bits so that neighbouring counts seed
// unrelated generator states.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

TellDrivenStrategy::TellDrivenStrategy(const SearchSpace& space, const StrategyOptions& options)
    : space_(space), options_(options) {}

bool TellDrivenStrategy::seen(const Point& point) const {
  return told_points_.count(point) > 0 || pending_.count(point) > 0;
}

std::vector<Point> TellDrivenStrategy::ask(std::size_t count) {
  std::mt19937_64 rng(mix(mix(mix(options_.seed) + told_) + pending_.size()));
  std::vector<Point> points;
  for (std::size_t i = 0; i < count; ++i) {
    Point point = propose(rng);
    for (int attempt = 1; attempt < fresh_point_attempts && seen(point); ++attempt) {
      point = propose(rng);
    }
    if (space_.check(point)) point = space_.repair(std::move(point), rng);
    pending_.insert(point);
    points.push_back(std::move(point));
  }
  return points;
}

void TellDrivenStrategy::tell(const Point& point, const Feedback& feedback) {
  if (point.size() != space_.genes().size()) {
    throw std::invalid_argument("tell: a point of this space has " +
                                std::to_string(space_.genes().size()) + " genes, got " +
                                std::to_string(point.size()));
  }
  learn(point, feedback);  // first: feedback it rejects leaves no trace
  auto pending = pending_.find(point);
  if (pending != pending_.end()) pending_.erase(pending);
  told_points_.insert(point);
  ++told_;
}

}  // namespace tandem
