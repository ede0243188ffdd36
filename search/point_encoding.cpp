#include "search/point_encoding.h"

#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace tandem {

namespace {

bool parse_number(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(value);
}

}  // namespace

bool is_ordinal(const Gene& gene) {
  double previous = 0;
  for (std::size_t k = 0; k < gene.choices.size(); ++k) {
    double value = 0;
    if (!parse_number(gene.choices[k], value)) return false;
    if (k > 0 && !(value > previous)) return false;
    previous = value;
  }
  return true;
}

PointEncoding::PointEncoding(const SearchSpace& space) {
  int features = 0;
  for (const Gene& gene : space.genes()) {
    const bool ordinal = is_ordinal(gene);
    const int width = ordinal ? 1 : static_cast<int>(gene.choices.size());
    offset_.push_back(features);
    choices_.push_back(static_cast<int>(gene.choices.size()));
    ordinal_.push_back(ordinal);
    for (int k = 0; k < width; ++k) group_.push_back(static_cast<int>(offset_.size()) - 1);
    features += width;
  }
}

Eigen::RowVectorXd PointEncoding::encode(const Point& point) const {
  if (point.size() != offset_.size()) {
    throw std::invalid_argument("PointEncoding: a point of this space has " +
                                std::to_string(offset_.size()) + " genes, got " +
                                std::to_string(point.size()));
  }
  Eigen::RowVectorXd row = Eigen::RowVectorXd::Zero(static_cast<Eigen::Index>(group_.size()));
  for (std::size_t gene = 0; gene < point.size(); ++gene) {
    const int choice = point[gene];
    if (ordinal_[gene]) {
      const int last = choices_[gene] - 1;
      row(offset_[gene]) = last > 0 ? static_cast<double>(choice) / last : 0.0;
    } else {
      row(offset_[gene] + choice) = std::sqrt(0.5);
    }
  }
  return row;
}

Eigen::MatrixXd PointEncoding::encode(const std::vector<Point>& points) const {
  Eigen::MatrixXd rows(static_cast<Eigen::Index>(points.size()),
                       static_cast<Eigen::Index>(group_.size()));
  for (std::size_t i = 0; i < points.size(); ++i) {
    rows.row(static_cast<Eigen::Index>(i)) = encode(points[i]);
  }
  return rows;
}

}  // namespace tandem
