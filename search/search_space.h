// The space a strategy searches, as categorical genes. Strategies see only this interface;
// JointSpace (joint_space.h) implements it over the network space and the accelerator space,
// and tests implement it for synthetic objectives.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "search/trial.h"

namespace tandem {

struct Gene {
  std::string name;                  // "net.s1.kernel", "hw.array.rows"
  std::vector<std::string> choices;  // printable values, in index order
};

class SearchSpace {
 public:
  virtual ~SearchSpace() = default;
  virtual const std::vector<Gene>& genes() const = 0;
  // The choices gene `gene` may take given the genes before it (conditional genes).
  virtual std::vector<int> allowed(const Point& point, std::size_t gene) const = 0;
  // Why a complete point is not in the space (conditional gene, cross-field constraint), or
  // nothing. Strategies only propose points for which this is empty.
  virtual std::optional<std::string> check(const Point& point) const = 0;

  // Shared helpers built on the three above.
  Point sample(std::mt19937_64& rng) const;  // uniform per gene among allowed, until check passes
  // The nearest valid point: genes that are not allowed any more take their first allowed
  // choice; a point still failing check() is resampled from the first failing gene on.
  Point repair(Point point, std::mt19937_64& rng) const;
  std::string describe(const Point& point) const;  // "name=value ..." for people
};

}  // namespace tandem
