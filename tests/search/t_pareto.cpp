#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "search/pareto.h"

using namespace tandem;

TEST_CASE("dominance needs no worse entry and one better one") {
  CHECK(dominates({1, 2}, {1, 3}));
  CHECK_FALSE(dominates({1, 3}, {1, 3}));
  CHECK_FALSE(dominates({0, 4}, {1, 3}));
  CHECK_THROWS_AS(dominates({1}, {1, 2}), std::invalid_argument);
}

TEST_CASE("non-dominated sort peels fronts in order") {
  //            0       1       2       3       4       5
  const std::vector<Objectives> points{{1, 5}, {2, 2}, {5, 1}, {3, 3}, {4, 4}, {2, 2}};
  const auto fronts = non_dominated_sort(points);
  REQUIRE(fronts.size() == 3);
  CHECK(fronts[0] == std::vector<std::size_t>{0, 1, 2, 5});
  CHECK(fronts[1] == std::vector<std::size_t>{3});
  CHECK(fronts[2] == std::vector<std::size_t>{4});
  CHECK(pareto_front(points) == fronts[0]);
  CHECK(pareto_front({}).empty());
}

TEST_CASE("crowding distance gives the extremes infinity and sums normalized gaps") {
  const std::vector<Objectives> points{{0, 4}, {1, 2}, {4, 0}};
  const auto distance = crowding_distance(points, {0, 1, 2});
  CHECK(std::isinf(distance[0]));
  CHECK(std::isinf(distance[2]));
  CHECK(distance[1] == Approx((4.0 - 0.0) / 4.0 + (4.0 - 0.0) / 4.0));
}

TEST_CASE("2-D hypervolume is the area of the union of dominated boxes") {
  CHECK(hypervolume_2d({{1, 3}, {2, 1}}, {4, 4}) == Approx(7.0));
  // A dominated point and one outside the reference add nothing.
  CHECK(hypervolume_2d({{1, 3}, {2, 1}, {3, 3}, {5, 0}}, {4, 4}) == Approx(7.0));
  CHECK(hypervolume_2d({}, {4, 4}) == 0.0);
}
