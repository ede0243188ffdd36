// Small statistics shared by the benchmarks.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

namespace tandem::bench {

// Pearson correlation of two equally long series.
inline double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

// Kendall tau-b of two equally long samples (ties in either are allowed).
inline double kendall_tau_b(const std::vector<double>& x, const std::vector<double>& y) {
  double concordant = 0, discordant = 0, ties_x = 0, ties_y = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (std::size_t j = i + 1; j < x.size(); ++j) {
      const double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx == 0 && dy == 0) continue;
      if (dx == 0) ++ties_x;
      else if (dy == 0) ++ties_y;
      else if ((dx > 0) == (dy > 0)) ++concordant;
      else ++discordant;
    }
  }
  const double denominator = std::sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y));
  return denominator > 0 ? (concordant - discordant) / denominator : 0.0;
}

}  // namespace tandem::bench
