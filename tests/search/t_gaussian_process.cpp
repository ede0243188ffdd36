// The bayesian strategy's model: point features, GP regression, its hyperparameter fit and
// the feasibility classifier.
#include <catch2/catch.hpp>
#include <cmath>

#include "search/gaussian_process.h"
#include "search/point_encoding.h"

using namespace tandem;

namespace {

// n points evenly spread on [0, 1], one feature.
Eigen::MatrixXd line(int n) {
  Eigen::MatrixXd x(n, 1);
  for (int i = 0; i < n; ++i) x(i, 0) = n > 1 ? static_cast<double>(i) / (n - 1) : 0.0;
  return x;
}

Eigen::VectorXd wave(const Eigen::MatrixXd& x, double frequency) {
  Eigen::VectorXd y(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    y(i) = std::sin(2 * 3.14159265358979 * frequency * x(i, 0));
  return y;
}

GpKernel one_feature_kernel(double length, double noise) {
  GpKernel kernel = GpKernel::defaults({0});
  kernel.length_scales(0) = length;
  kernel.noise_variance = noise;
  return kernel;
}

class TwoGenes : public SearchSpace {
 public:
  const std::vector<Gene>& genes() const override { return genes_; }
  std::vector<int> allowed(const Point&, std::size_t gene) const override {
    return gene == 0 ? std::vector<int>{0, 1, 2} : std::vector<int>{0, 1, 2};
  }
  std::optional<std::string> check(const Point&) const override { return std::nullopt; }

 private:
  std::vector<Gene> genes_ = {{"rows", {"8", "16", "32"}}, {"act", {"relu", "hswish", "gelu"}}};
};

}  // namespace

TEST_CASE("ordinal genes are one scaled feature, categorical genes one-hot", "[search][fast]") {
  const TwoGenes space;
  CHECK(is_ordinal(space.genes()[0]));
  CHECK_FALSE(is_ordinal(space.genes()[1]));
  CHECK_FALSE(is_ordinal(Gene{"x", {"4", "2"}}));  // descending: no order to exploit
  const PointEncoding encoding(space);
  CHECK(encoding.group() == std::vector<int>{0, 1, 1, 1});
  const Eigen::RowVectorXd row = encoding.encode(Point{1, 2});
  CHECK(row(0) == Approx(0.5));
  CHECK(row(3) == Approx(std::sqrt(0.5)));
  // Two different categories are as far apart as the ends of an ordinal gene.
  CHECK((encoding.encode(Point{0, 0}) - encoding.encode(Point{0, 1})).norm() == Approx(1.0));
  CHECK((encoding.encode(Point{0, 0}) - encoding.encode(Point{2, 0})).norm() == Approx(1.0));
  CHECK_THROWS_AS(encoding.encode(Point{1}), std::invalid_argument);
}

TEST_CASE("the posterior interpolates noiseless data and is sure only where it has data",
          "[search][fast]") {
  const Eigen::MatrixXd x = line(9);
  const Eigen::VectorXd y = wave(x, 1) * 3 + Eigen::VectorXd::Constant(9, 10);  // any scale
  const GaussianProcess gp(one_feature_kernel(0.3, 1e-10), x, y);
  const GpPrediction at_data = gp.predict(x);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    CHECK(at_data.mean(i) == Approx(y(i)).margin(1e-4));
    CHECK(at_data.variance(i) < 1e-6);
  }
  Eigen::MatrixXd between(1, 1), outside(1, 1);
  between << 1.0 / 16;
  outside << 3.0;
  const double variance_between = gp.predict(between).variance(0);
  const double variance_outside = gp.predict(outside).variance(0);
  CHECK(variance_between > 1e-4);
  CHECK(variance_outside > 10 * variance_between);
  // Far from the data the prior returns: the targets' mean and variance (9 * 1/2 for a sine).
  CHECK(gp.predict(outside).mean(0) == Approx(10).margin(0.05));
  CHECK(variance_outside == Approx(9 * (wave(x, 1).array().square().mean())).epsilon(0.05));
}

TEST_CASE("the Cholesky solves match a direct solve", "[search][fast]") {
  const Eigen::MatrixXd x = line(12);
  Eigen::VectorXd y = wave(x, 1.5);
  y(3) += 0.4;  // noisy data: the posterior smooths rather than interpolates
  const GpKernel kernel = one_feature_kernel(0.2, 0.05);
  const GaussianProcess gp(kernel, x, y);
  const double mean = y.mean(), scale = std::sqrt((y.array() - mean).square().mean());
  const Eigen::VectorXd standardized = (y.array() - mean) / scale;
  Eigen::MatrixXd k = kernel.covariance(x, x);
  k.diagonal().array() += kernel.noise_variance;
  const Eigen::MatrixXd at = line(7).array() * 0.9 + 0.03;
  const Eigen::MatrixXd cross = kernel.covariance(x, at);
  const Eigen::VectorXd direct =
      (cross.transpose() * k.fullPivLu().solve(standardized)).array() * scale + mean;
  const Eigen::VectorXd direct_variance =
      ((kernel.signal_variance -
        (cross.transpose() * k.fullPivLu().solve(cross)).diagonal().array()) *
       scale * scale)
          .matrix();
  const GpPrediction prediction = gp.predict(at);
  CHECK((prediction.mean - direct).cwiseAbs().maxCoeff() < 1e-9);
  CHECK((prediction.variance - direct_variance).cwiseAbs().maxCoeff() < 1e-9);
  const double n = static_cast<double>(y.size());
  const double direct_likelihood = -0.5 * standardized.dot(k.fullPivLu().solve(standardized)) -
                                   0.5 * std::log(k.determinant()) -
                                   0.5 * n * std::log(2 * 3.14159265358979);
  CHECK(gp.log_marginal_likelihood() == Approx(direct_likelihood).epsilon(1e-9));
}

TEST_CASE("the kriging believer keeps the mean and shrinks the variance near pending points",
          "[search][fast]") {
  const Eigen::MatrixXd x = line(5);
  const GaussianProcess gp(one_feature_kernel(0.2, 1e-4), x, wave(x, 1));
  Eigen::MatrixXd at(2, 1), pending(1, 1);
  at << 0.1, 0.9;
  pending << 0.12;
  const GpPrediction alone = gp.predict(at), believed = gp.predict(at, pending);
  CHECK((alone.mean - believed.mean).cwiseAbs().maxCoeff() < 1e-12);
  CHECK(believed.variance(0) < 0.2 * alone.variance(0));  // next to the pending point
  CHECK(believed.variance(1) == Approx(alone.variance(1)).epsilon(0.01));  // far from it
}

TEST_CASE("the marginal-likelihood fit finds the length scale of the data", "[search][fast]") {
  // Two features: y varies fast along the first and not at all along the second. The fit must
  // give the first a short length scale, shorter for a faster wave, and the second a long one.
  Eigen::MatrixXd x(60, 2);
  std::mt19937_64 rng(3);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    x(i, 0) = static_cast<double>(rng() % 1000) / 1000;
    x(i, 1) = static_cast<double>(rng() % 1000) / 1000;
  }
  const GpKernel slow = fit_gp_kernel(x, wave(x, 0.5), {0, 1}, 1);
  const GpKernel fast = fit_gp_kernel(x, wave(x, 2), {0, 1}, 1);
  INFO("slow " << slow.length_scales.transpose() << ", fast " << fast.length_scales.transpose());
  CHECK(fast.length_scales(0) < 0.6);
  CHECK(fast.length_scales(0) < 0.6 * slow.length_scales(0));
  CHECK(fast.length_scales(1) > 4 * fast.length_scales(0));
  CHECK(slow.length_scales(1) > 2 * slow.length_scales(0));
  CHECK(fast.noise_variance < 0.01);  // the data is noiseless
  // And the fitted kernel predicts held-out points of the fast wave well.
  const GaussianProcess gp(fast, x, wave(x, 2));
  Eigen::MatrixXd held_out(3, 2);
  held_out << 0.31, 0.5, 0.62, 0.1, 0.87, 0.9;
  CHECK((gp.predict(held_out).mean - wave(held_out, 2)).cwiseAbs().maxCoeff() < 0.15);
  // Deterministic for a seed.
  CHECK(fit_gp_kernel(x, wave(x, 2), {0, 1}, 1).length_scales == fast.length_scales);
}

TEST_CASE("the feasibility classifier separates a simple infeasible region", "[search][fast]") {
  // Feasible where x0 + x1 < 1 on a 10 x 10 grid.
  Eigen::MatrixXd x(100, 2);
  Eigen::VectorXd labels(100);
  for (int i = 0; i < 10; ++i) {
    for (int j = 0; j < 10; ++j) {
      x(i * 10 + j, 0) = i / 9.0;
      x(i * 10 + j, 1) = j / 9.0;
      labels(i * 10 + j) = i / 9.0 + j / 9.0 < 1 ? 1 : -1;
    }
  }
  const GaussianProcess classifier(fit_gp_kernel(x, labels, {0, 1}, 1), x, labels);
  Eigen::MatrixXd at(4, 2);
  at << 0.15, 0.2, 0.35, 0.4, 0.65, 0.6, 0.9, 0.85;
  const Eigen::VectorXd p = probability_positive(classifier, at);
  INFO("P(feasible) " << p.transpose());
  CHECK(p(0) > 0.9);
  CHECK(p(1) > 0.6);
  CHECK(p(2) < 0.4);
  CHECK(p(3) < 0.1);
  int wrong = 0;
  const Eigen::VectorXd at_data = probability_positive(classifier, x);
  for (Eigen::Index i = 0; i < x.rows(); ++i) wrong += (at_data(i) > 0.5) != (labels(i) > 0);
  CHECK(wrong <= 4);
}

TEST_CASE("a Gaussian process rejects mismatched inputs", "[search][fast]") {
  CHECK_THROWS_AS(GaussianProcess(one_feature_kernel(1, 0.1), line(3), Eigen::VectorXd(2)),
                  std::invalid_argument);
  CHECK_THROWS_AS(
      GaussianProcess(one_feature_kernel(1, 0.1), Eigen::MatrixXd(0, 1), Eigen::VectorXd(0)),
      std::invalid_argument);
  CHECK_THROWS_AS(one_feature_kernel(1, 0.1).covariance(Eigen::MatrixXd(2, 2), line(2)),
                  std::invalid_argument);
}
