// Variation operators over points of a SearchSpace, shared by the strategies. Each returns a
// valid point (SearchSpace::repair) and draws only from the generator it is given, through
// uniform_index/unit_interval, so the results are the same on every standard library.
#pragma once

#include <random>

#include "search/search_space.h"

namespace tandem {

// A double in [0, 1) from the top 53 bits of one draw (std::uniform_real_distribution is not
// specified exactly enough to be portable).
double unit_interval(std::mt19937_64& rng);

// One gene, chosen uniformly among those with another allowed choice, moves to another
// allowed choice. A space with a single point gives it back.
Point mutate_one_gene(const SearchSpace& space, const Point& point, std::mt19937_64& rng);

// Every gene independently, with `probability`, moves to another allowed choice.
Point mutate_each_gene(const SearchSpace& space, const Point& point, double probability,
                       std::mt19937_64& rng);

// Each gene from `a` or `b` with equal probability.
Point uniform_crossover(const SearchSpace& space, const Point& a, const Point& b,
                        std::mt19937_64& rng);

}  // namespace tandem
