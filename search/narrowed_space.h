// A search space with some genes restricted to a subset of their choices, e.g. the network
// space with MBConv blocks only (the flow's `network_choices:`), without a second declaration
// of the space. Strategies see it like any SearchSpace; points stay points of the inner space.
#pragma once

#include <map>
#include <vector>

#include "search/search_space.h"

namespace tandem {

class NarrowedSpace : public SearchSpace {
 public:
  // choices: gene index -> the choice indices it may take. Where a conditional gene allows
  // none of them (a decision that does not matter there), the inner space's choices stand.
  NarrowedSpace(const SearchSpace& inner, std::map<std::size_t, std::vector<int>> choices);

  const std::vector<Gene>& genes() const override { return inner_.genes(); }
  std::vector<int> allowed(const Point& point, std::size_t gene) const override;
  std::optional<std::string> check(const Point& point) const override;

 private:
  const SearchSpace& inner_;
  std::map<std::size_t, std::vector<int>> choices_;
};

}  // namespace tandem
