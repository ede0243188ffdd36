#include "search/restricted_space.h"

#include <algorithm>

namespace tandem {

RestrictedSpace::RestrictedSpace(const SearchSpace& inner, std::map<std::size_t, std::vector<int>> choices,
                                 Rule rule)
    : inner_(inner), choices_(std::move(choices)), rule_(std::move(rule)) {}

std::vector<int> RestrictedSpace::allowed(const Point& point, std::size_t gene) const {
  std::vector<int> inner = inner_.allowed(point, gene);
  const auto narrowed = choices_.find(gene);
  if (narrowed == choices_.end()) return inner;
  std::vector<int> both;
  for (int choice : inner) {
    if (std::count(narrowed->second.begin(), narrowed->second.end(), choice)) both.push_back(choice);
  }
  return both.empty() ? inner : both;
}

std::optional<std::string> RestrictedSpace::check(const Point& point) const {
  if (auto problem = inner_.check(point)) return problem;
  for (const auto& [gene, choices] : choices_) {
    const std::vector<int> allowed_here = allowed(point, gene);
    if (!std::count(allowed_here.begin(), allowed_here.end(), point[gene])) {
      return genes()[gene].name + " = " + genes()[gene].choices[static_cast<std::size_t>(point[gene])] +
             " is outside the flow's narrowed choices";
    }
  }
  return rule_ ? rule_(point) : std::nullopt;
}

}  // namespace tandem
