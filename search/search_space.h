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
  // The choices gene `gene` may take given the genes before it (conditional genes); never
  // empty. `point` has one entry per gene; entries from `gene` on must not be read.
  virtual std::vector<int> allowed(const Point& point, std::size_t gene) const = 0;
  // Why a complete point is not in the space (conditional gene, cross-field constraint), or
  // nothing. Strategies only propose points for which this is empty.
  virtual std::optional<std::string> check(const Point& point) const = 0;

  // Shared helpers built on the three above.
  // Uniform per gene among allowed, until check passes; throws std::runtime_error when 10000
  // draws find no valid point.
  Point sample(std::mt19937_64& rng) const;
  // A nearby valid point: genes that are not allowed any more take their first allowed
  // choice; a point still failing check() keeps the longest prefix that can be completed
  // (the genes from k on are redrawn, for k = last gene down to 0, a few tries each).
  // Uses `rng` only when check() fails. A point of the wrong size throws std::invalid_argument.
  Point repair(Point point, std::mt19937_64& rng) const;
  std::string describe(const Point& point) const;  // "name=value ..." for people
};

}  // namespace tandem
