// A search space with fewer points than the space it wraps: some genes restricted to a subset
// of their choices (the flow's `network_choices:`, e.g. MBConv blocks only), and an extra rule
// every point must pass (an area bound, which depends on the accelerator alone, so strategies
// never spend a trial on an accelerator that is too big). Strategies see it like any
// SearchSpace; its points are points of the inner space.
#pragma once

#include <functional>
#include <map>
#include <vector>

#include "search/search_space.h"

namespace tandem {

class RestrictedSpace : public SearchSpace {
 public:
  // Why a point (valid in the inner space) is excluded, or nothing.
  using Rule = std::function<std::optional<std::string>(const Point&)>;

  // choices: gene index -> the choice indices it may take. Where a conditional gene allows
  // none of them (a decision that does not matter there), the inner space's choices stand.
  RestrictedSpace(const SearchSpace& inner, std::map<std::size_t, std::vector<int>> choices, Rule rule = {});

  const std::vector<Gene>& genes() const override { return inner_.genes(); }
  std::vector<int> allowed(const Point& point, std::size_t gene) const override;
  std::optional<std::string> check(const Point& point) const override;

 private:
  const SearchSpace& inner_;
  std::map<std::size_t, std::vector<int>> choices_;
  Rule rule_;
};

}  // namespace tandem
