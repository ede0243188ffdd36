// Numeric features of a point for the Gaussian-process model of the bayesian strategy. A gene
// whose choices are all numbers in ascending order is ordinal: one feature, its choice index
// scaled to [0, 1] (the index, not the value, so that powers of two are evenly spaced). Any
// other gene is categorical: one-hot, scaled by 1/sqrt(2) so that two different choices are at
// distance 1 like the ends of an ordinal gene. Features are grouped by gene, so a kernel can
// give each gene one length scale.
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "search/search_space.h"

namespace tandem {

// Every choice parses as a number and the numbers strictly ascend.
bool is_ordinal(const Gene& gene);

class PointEncoding {
 public:
  explicit PointEncoding(const SearchSpace& space);

  Eigen::RowVectorXd encode(const Point& point) const;
  Eigen::MatrixXd encode(const std::vector<Point>& points) const;  // one row per point

  // Per feature, the index of its gene.
  const std::vector<int>& group() const { return group_; }
  int genes() const { return static_cast<int>(offset_.size()); }

 private:
  std::vector<int> group_;
  std::vector<int> offset_;   // per gene, its first feature
  std::vector<int> choices_;  // per gene
  std::vector<bool> ordinal_;
};

}  // namespace tandem
