#include "search/search_space.h"

#include <algorithm>
#include <stdexcept>

#include "core/random.h"

namespace tandem {

namespace {

// Enough for spaces whose constraints reject most points; a space that needs more is
// effectively empty and should say so rather than spin.
constexpr int max_sample_attempts = 10000;
// Tries per suffix length when repairing a point that fails check().
constexpr int repair_attempts_per_suffix = 8;

bool contains(const std::vector<int>& values, int value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

int pick(const std::vector<int>& choices, std::mt19937_64& rng) {
  return choices[static_cast<std::size_t>(uniform_index(rng, static_cast<int>(choices.size())))];
}

void check_size(const SearchSpace& space, const Point& point, const char* what) {
  if (point.size() != space.genes().size()) {
    throw std::invalid_argument(std::string(what) + ": a point has " +
                                std::to_string(space.genes().size()) + " genes, got " +
                                std::to_string(point.size()));
  }
}

// Draws genes [from, end) uniformly among their allowed choices, front to back.
void resample_from(const SearchSpace& space, Point& point, std::size_t from, std::mt19937_64& rng) {
  for (std::size_t gene = from; gene < point.size(); ++gene) {
    const std::vector<int> allowed = space.allowed(point, gene);
    if (allowed.empty()) {
      throw std::logic_error("gene " + space.genes()[gene].name + " allows no choice");
    }
    point[gene] = pick(allowed, rng);
  }
}

}  // namespace

Point SearchSpace::sample(std::mt19937_64& rng) const {
  Point point(genes().size(), 0);
  std::string last_reason;
  for (int attempt = 0; attempt < max_sample_attempts; ++attempt) {
    resample_from(*this, point, 0, rng);
    auto problem = check(point);
    if (!problem) return point;
    last_reason = *problem;
  }
  throw std::runtime_error("no valid point in " + std::to_string(max_sample_attempts) +
                           " samples of the search space; the last one failed: " + last_reason);
}

Point SearchSpace::repair(Point point, std::mt19937_64& rng) const {
  check_size(*this, point, "repair");
  for (std::size_t gene = 0; gene < point.size(); ++gene) {
    const std::vector<int> choices = allowed(point, gene);
    if (!contains(choices, point[gene])) point[gene] = choices.at(0);
  }
  if (!check(point)) return point;
  // check() does not say which gene is to blame, so keep the longest prefix that can be
  // completed: resample ever longer suffixes, last gene first.
  for (std::size_t from = point.size(); from-- > 0;) {
    for (int attempt = 0; attempt < repair_attempts_per_suffix; ++attempt) {
      Point candidate = point;
      resample_from(*this, candidate, from, rng);
      if (!check(candidate)) return candidate;
    }
  }
  return sample(rng);
}

std::string SearchSpace::describe(const Point& point) const {
  std::string text;
  for (std::size_t gene = 0; gene < genes().size(); ++gene) {
    const Gene& g = genes()[gene];
    std::string value = "?";
    if (gene < point.size()) {
      const int index = point[gene];
      value = index >= 0 && index < static_cast<int>(g.choices.size())
                  ? g.choices[static_cast<std::size_t>(index)]
                  : "#" + std::to_string(index);
    }
    text += (text.empty() ? "" : " ") + g.name + "=" + value;
  }
  return text;
}

}  // namespace tandem
