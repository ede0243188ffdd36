#include "search/point_operators.h"

#include <stdexcept>

#include "core/random.h"

namespace tandem {

namespace {

// The allowed choices of `gene` other than its current value.
std::vector<int> alternatives(const SearchSpace& space, const Point& point, std::size_t gene) {
  std::vector<int> others;
  for (int choice : space.allowed(point, gene)) {
    if (choice != point[gene]) others.push_back(choice);
  }
  return others;
}

int pick(const std::vector<int>& choices, std::mt19937_64& rng) {
  return choices[static_cast<std::size_t>(uniform_index(rng, static_cast<int>(choices.size())))];
}

}  // namespace

double unit_interval(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);  // 2^-53
}

Point mutate_one_gene(const SearchSpace& space, const Point& point, std::mt19937_64& rng) {
  std::vector<int> movable;
  for (std::size_t gene = 0; gene < point.size(); ++gene) {
    if (!alternatives(space, point, gene).empty()) movable.push_back(static_cast<int>(gene));
  }
  Point child = point;
  if (!movable.empty()) {
    const auto gene = static_cast<std::size_t>(pick(movable, rng));
    child[gene] = pick(alternatives(space, child, gene), rng);
  }
  return space.repair(std::move(child), rng);
}

Point mutate_each_gene(const SearchSpace& space, const Point& point, double probability,
                       std::mt19937_64& rng) {
  Point child = point;
  for (std::size_t gene = 0; gene < child.size(); ++gene) {
    if (unit_interval(rng) >= probability) continue;
    // Earlier mutations may have made this gene's current value disallowed; repair fixes that.
    const std::vector<int> others = alternatives(space, child, gene);
    if (!others.empty()) child[gene] = pick(others, rng);
  }
  return space.repair(std::move(child), rng);
}

Point uniform_crossover(const SearchSpace& space, const Point& a, const Point& b,
                        std::mt19937_64& rng) {
  if (a.size() != b.size()) {
    throw std::invalid_argument("uniform_crossover: parents differ in size");
  }
  Point child = a;
  for (std::size_t gene = 0; gene < child.size(); ++gene) {
    if (rng() & 1) child[gene] = b[gene];
  }
  return space.repair(std::move(child), rng);
}

}  // namespace tandem
