// Pareto dominance over objective vectors in which every entry is minimized (maximize accuracy by
// minimizing its negative). One implementation for NSGA-II, `study show`, reports and the
// experiments' hypervolumes.
#pragma once

#include <cstddef>
#include <vector>

namespace tandem {

using Objectives = std::vector<double>;

// a dominates b: no entry worse and at least one better. Vectors of different sizes throw
// std::invalid_argument.
bool dominates(const Objectives& a, const Objectives& b);

// Indices of the non-dominated vectors, ascending. Duplicates are all kept.
std::vector<std::size_t> pareto_front(const std::vector<Objectives>& points);

// Fast non-dominated sort (Deb et al. 2002): fronts[0] is the Pareto front, fronts[1] the front
// once fronts[0] is removed, and so on. Indices within a front ascend.
std::vector<std::vector<std::size_t>> non_dominated_sort(const std::vector<Objectives>& points);

// NSGA-II crowding distance of each member of one front (same order as `front`); the extremes
// of every objective get infinity.
std::vector<double> crowding_distance(const std::vector<Objectives>& points,
                                      const std::vector<std::size_t>& front);

// Hypervolume dominated by 2-objective points and bounded by `reference` (both minimized).
// Points not strictly better than the reference in both objectives add nothing.
double hypervolume_2d(const std::vector<Objectives>& points, const Objectives& reference);

}  // namespace tandem
