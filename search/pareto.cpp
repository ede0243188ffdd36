#include "search/pareto.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace tandem {

bool dominates(const Objectives& a, const Objectives& b) {
  if (a.size() != b.size()) throw std::invalid_argument("dominates: objective vectors differ in size");
  bool better = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

std::vector<std::size_t> pareto_front(const std::vector<Objectives>& points) {
  if (points.empty()) return {};
  return non_dominated_sort(points).front();
}

std::vector<std::vector<std::size_t>> non_dominated_sort(const std::vector<Objectives>& points) {
  const std::size_t n = points.size();
  std::vector<std::vector<std::size_t>> dominated_by_me(n);
  std::vector<std::size_t> domination_count(n, 0);
  std::vector<std::vector<std::size_t>> fronts(1);
  for (std::size_t p = 0; p < n; ++p) {
    for (std::size_t q = 0; q < n; ++q) {
      if (p == q) continue;
      if (dominates(points[p], points[q])) dominated_by_me[p].push_back(q);
      else if (dominates(points[q], points[p])) ++domination_count[p];
    }
    if (domination_count[p] == 0) fronts[0].push_back(p);
  }
  while (true) {
    std::vector<std::size_t> next;
    for (std::size_t p : fronts.back()) {
      for (std::size_t q : dominated_by_me[p]) {
        if (--domination_count[q] == 0) next.push_back(q);
      }
    }
    if (next.empty()) break;
    std::sort(next.begin(), next.end());
    fronts.push_back(std::move(next));
  }
  if (fronts.front().empty()) fronts.clear();
  return fronts;
}

std::vector<double> crowding_distance(const std::vector<Objectives>& points,
                                      const std::vector<std::size_t>& front) {
  const double infinity = std::numeric_limits<double>::infinity();
  std::vector<double> distance(front.size(), 0.0);
  if (front.empty()) return distance;
  const std::size_t objectives = points[front[0]].size();
  std::vector<std::size_t> order(front.size());
  for (std::size_t m = 0; m < objectives; ++m) {
    std::iota(order.begin(), order.end(), 0);
    // Stable on ties so that the result does not depend on the sort implementation.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return points[front[a]][m] < points[front[b]][m];
    });
    const double low = points[front[order.front()]][m];
    const double high = points[front[order.back()]][m];
    distance[order.front()] = infinity;
    distance[order.back()] = infinity;
    if (high <= low) continue;
    for (std::size_t k = 1; k + 1 < order.size(); ++k) {
      distance[order[k]] += (points[front[order[k + 1]]][m] - points[front[order[k - 1]]][m]) /
                            (high - low);
    }
  }
  return distance;
}

double hypervolume_2d(const std::vector<Objectives>& points, const Objectives& reference) {
  if (reference.size() != 2) throw std::invalid_argument("hypervolume_2d: reference needs 2 objectives");
  std::vector<Objectives> inside;
  for (const Objectives& p : points) {
    if (p.size() != 2) throw std::invalid_argument("hypervolume_2d: points need 2 objectives");
    if (p[0] < reference[0] && p[1] < reference[1]) inside.push_back(p);
  }
  // Sweep by the first objective; each point adds the strip down to the best second
  // objective seen so far.
  std::sort(inside.begin(), inside.end());
  double volume = 0;
  double best_second = reference[1];
  for (const Objectives& p : inside) {
    if (p[1] >= best_second) continue;
    volume += (reference[0] - p[0]) * (best_second - p[1]);
    best_second = p[1];
  }
  return volume;
}

}  // namespace tandem
