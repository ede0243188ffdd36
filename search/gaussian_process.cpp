#include "search/gaussian_process.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

#include "search/point_operators.h"

namespace tandem {

namespace {

const double sqrt5 = std::sqrt(5.0);
const double log_2pi = std::log(2 * 3.14159265358979323846);

int group_count(const std::vector<int>& group) {
  int groups = 0;
  for (int g : group) {
    if (g < 0) throw std::invalid_argument("GpKernel: a negative feature group");
    groups = std::max(groups, g + 1);
  }
  return groups;
}

// Each feature divided by its group's length scale.
Eigen::MatrixXd scaled(const GpKernel& kernel, const Eigen::MatrixXd& x) {
  if (static_cast<std::size_t>(x.cols()) != kernel.group.size()) {
    throw std::invalid_argument("GpKernel: inputs have " + std::to_string(x.cols()) +
                                " features, the kernel " + std::to_string(kernel.group.size()));
  }
  Eigen::MatrixXd out = x;
  for (Eigen::Index c = 0; c < x.cols(); ++c) {
    out.col(c) /= kernel.length_scales(kernel.group[static_cast<std::size_t>(c)]);
  }
  return out;
}

// Factorizes `k` (a covariance plus noise), adding jitter to the diagonal until the Cholesky
// succeeds: duplicated inputs with tiny noise make K numerically singular.
Eigen::LLT<Eigen::MatrixXd> robust_cholesky(const Eigen::MatrixXd& k) {
  const double scale = std::max(1e-12, k.diagonal().mean());
  double jitter = 0;
  for (int attempt = 0; attempt < 8; ++attempt) {
    Eigen::MatrixXd jittered = k;
    jittered.diagonal().array() += jitter;
    Eigen::LLT<Eigen::MatrixXd> factor(jittered);
    if (factor.info() == Eigen::Success) return factor;
    jitter = jitter == 0 ? 1e-10 * scale : jitter * 10;
  }
  throw std::runtime_error(
      "Gaussian process: the covariance is not positive definite even "
      "with jitter");
}

double log_determinant(const Eigen::LLT<Eigen::MatrixXd>& factor) {
  return 2 * factor.matrixLLT().diagonal().array().log().sum();
}

struct Standardized {
  double mean = 0, scale = 1;
  Eigen::VectorXd values;
};

Standardized standardize(const Eigen::VectorXd& y) {
  Standardized s;
  s.mean = y.size() > 0 ? y.mean() : 0.0;
  const double variance = y.size() > 0 ? (y.array() - s.mean).square().mean() : 0.0;
  s.scale = variance > 1e-24 ? std::sqrt(variance) : 1.0;
  s.values = (y.array() - s.mean) / s.scale;
  return s;
}

}  // namespace

double matern52(double r) { return (1 + sqrt5 * r + 5.0 / 3.0 * r * r) * std::exp(-sqrt5 * r); }

GpKernel GpKernel::defaults(std::vector<int> group) {
  GpKernel kernel;
  const int groups = group_count(group);
  kernel.group = std::move(group);
  kernel.length_scales = Eigen::VectorXd::Constant(groups, std::sqrt(std::max(1, groups)));
  return kernel;
}

Eigen::MatrixXd GpKernel::covariance(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) const {
  const Eigen::MatrixXd sa = scaled(*this, a), sb = scaled(*this, b);
  const Eigen::VectorXd na = sa.rowwise().squaredNorm(), nb = sb.rowwise().squaredNorm();
  Eigen::MatrixXd k = -2 * sa * sb.transpose();
  k.colwise() += na;
  k.rowwise() += nb.transpose();
  return k.unaryExpr(
      [this](double r2) { return signal_variance * matern52(std::sqrt(std::max(0.0, r2))); });
}

GaussianProcess::GaussianProcess(GpKernel kernel, Eigen::MatrixXd inputs,
                                 const Eigen::VectorXd& targets)
    : kernel_(std::move(kernel)), inputs_(std::move(inputs)) {
  if (inputs_.rows() == 0 || inputs_.rows() != targets.size()) {
    throw std::invalid_argument("Gaussian process: " + std::to_string(inputs_.rows()) +
                                " inputs and " + std::to_string(targets.size()) + " targets");
  }
  Eigen::MatrixXd k = kernel_.covariance(inputs_, inputs_);
  k.diagonal().array() += kernel_.noise_variance;
  factor_ = robust_cholesky(k);
  set_targets(targets);
}

void GaussianProcess::set_targets(const Eigen::VectorXd& targets) {
  if (targets.size() != inputs_.rows()) {
    throw std::invalid_argument("Gaussian process: " + std::to_string(inputs_.rows()) +
                                " inputs and " + std::to_string(targets.size()) + " targets");
  }
  Standardized s = standardize(targets);
  mean_ = s.mean;
  scale_ = s.scale;
  standardized_ = std::move(s.values);
  alpha_ = factor_.solve(standardized_);
}

GpPrediction GaussianProcess::predict(const Eigen::MatrixXd& at) const {
  return predict(at, Eigen::MatrixXd(0, inputs_.cols()));
}

GpPrediction GaussianProcess::predict(const Eigen::MatrixXd& at,
                                      const Eigen::MatrixXd& pending) const {
  const Eigen::MatrixXd cross = kernel_.covariance(inputs_, at);  // n x m
  const Eigen::MatrixXd v = factor_.matrixL().solve(cross);
  GpPrediction prediction;
  prediction.mean = (cross.transpose() * alpha_).array() * scale_ + mean_;
  Eigen::VectorXd variance =
      (kernel_.signal_variance - v.colwise().squaredNorm().transpose().array()).max(0.0);
  if (pending.rows() > 0) {
    // Posterior covariance of the candidates with the pending points, and among those (plus
    // the noise of their fantasized observations); condition on them.
    const Eigen::MatrixXd vp = factor_.matrixL().solve(kernel_.covariance(inputs_, pending));
    const Eigen::MatrixXd with_pending = kernel_.covariance(at, pending) - v.transpose() * vp;
    Eigen::MatrixXd among = kernel_.covariance(pending, pending) - vp.transpose() * vp;
    among.diagonal().array() += kernel_.noise_variance;
    const Eigen::MatrixXd solved = among.ldlt().solve(with_pending.transpose());  // p x m
    variance =
        (variance.array() - (with_pending.array() * solved.transpose().array()).rowwise().sum())
            .max(0.0);
  }
  prediction.variance = variance * scale_ * scale_;
  return prediction;
}

double GaussianProcess::log_marginal_likelihood() const {
  const double n = static_cast<double>(standardized_.size());
  return -0.5 * standardized_.dot(alpha_) - 0.5 * log_determinant(factor_) - 0.5 * n * log_2pi;
}

double GaussianProcess::noise_variance() const { return kernel_.noise_variance * scale_ * scale_; }

Eigen::VectorXd probability_positive(const GaussianProcess& labels, const Eigen::MatrixXd& at) {
  const GpPrediction prediction = labels.predict(at);
  const double noise = labels.noise_variance();
  Eigen::VectorXd p(prediction.mean.size());
  for (Eigen::Index i = 0; i < p.size(); ++i) {
    p(i) = 0.5 * std::erfc(-prediction.mean(i) / std::sqrt(2 * (prediction.variance(i) + noise)));
  }
  return p;
}

namespace {

// The fit's parameters, all logarithms: length scales (one per group), signal variance, noise.
struct LogParameters {
  Eigen::VectorXd values;
  static constexpr double min_log_length = -3.0, max_log_length = 4.5;
  static constexpr double min_log_signal = -3.0, max_log_signal = 3.0;
  static constexpr double min_log_noise = -13.8, max_log_noise = 0.0;

  Eigen::Index groups() const { return values.size() - 2; }
  void clamp() {
    for (Eigen::Index g = 0; g < groups(); ++g) {
      values(g) = std::clamp(values(g), min_log_length, max_log_length);
    }
    values(groups()) = std::clamp(values(groups()), min_log_signal, max_log_signal);
    values(groups() + 1) = std::clamp(values(groups() + 1), min_log_noise, max_log_noise);
  }
  GpKernel kernel(const std::vector<int>& group) const {
    GpKernel k;
    k.group = group;
    k.length_scales = values.head(groups()).array().exp();
    k.signal_variance = std::exp(values(groups()));
    k.noise_variance = std::exp(values(groups() + 1));
    return k;
  }
};

// Log marginal likelihood plus the length-scale prior, and its gradient in the log parameters.
class FitObjective {
 public:
  FitObjective(const Eigen::MatrixXd& x, Eigen::VectorXd y, int groups,
               const std::vector<int>& group, double prior_sd)
      : y_(std::move(y)), prior_centre_(0.5 * std::log(std::max(1, groups))), prior_sd_(prior_sd) {
    const Eigen::Index n = x.rows();
    for (int g = 0; g < groups; ++g) distances_.push_back(Eigen::MatrixXd::Zero(n, n));
    for (Eigen::Index c = 0; c < x.cols(); ++c) {
      Eigen::MatrixXd& d = distances_[static_cast<std::size_t>(group[static_cast<std::size_t>(c)])];
      for (Eigen::Index j = 0; j < n; ++j) {
        d.col(j).array() += (x.col(c).array() - x(j, c)).square();
      }
    }
  }

  // Value; fills `gradient`. -infinity when the covariance cannot be factorized.
  double operator()(const LogParameters& p, Eigen::VectorXd& gradient) const {
    const Eigen::Index groups = p.groups(), n = y_.size();
    Eigen::MatrixXd r2 = Eigen::MatrixXd::Zero(n, n);
    for (Eigen::Index g = 0; g < groups; ++g) {
      r2 += distances_[static_cast<std::size_t>(g)] * std::exp(-2 * p.values(g));
    }
    const double signal = std::exp(p.values(groups)), noise = std::exp(p.values(groups + 1));
    const Eigen::ArrayXXd r = r2.array().max(0.0).sqrt();
    const Eigen::ArrayXXd decay = (-sqrt5 * r).exp();
    const Eigen::MatrixXd kf = (signal * (1 + sqrt5 * r + 5.0 / 3.0 * r.square()) * decay).matrix();
    Eigen::MatrixXd k = kf;
    k.diagonal().array() += noise;
    Eigen::LLT<Eigen::MatrixXd> factor(k);
    gradient = Eigen::VectorXd::Zero(p.values.size());
    if (factor.info() != Eigen::Success) return -std::numeric_limits<double>::infinity();
    const Eigen::VectorXd alpha = factor.solve(y_);
    const Eigen::MatrixXd w =
        alpha * alpha.transpose() - factor.solve(Eigen::MatrixXd::Identity(n, n));
    // d k / d log l_g = signal * 5/3 (1 + sqrt5 r) exp(-sqrt5 r) * d_g^2 / l_g^2
    const Eigen::ArrayXXd common = w.array() * (signal * 5.0 / 3.0 * (1 + sqrt5 * r) * decay);
    double value = -0.5 * y_.dot(alpha) - 0.5 * log_determinant(factor) -
                   0.5 * static_cast<double>(n) * log_2pi;
    for (Eigen::Index g = 0; g < groups; ++g) {
      const double z = (p.values(g) - prior_centre_) / prior_sd_;
      value -= 0.5 * z * z;
      gradient(g) = 0.5 * (common * distances_[static_cast<std::size_t>(g)].array()).sum() *
                        std::exp(-2 * p.values(g)) -
                    z / prior_sd_;
    }
    gradient(groups) = 0.5 * (w.array() * kf.array()).sum();
    gradient(groups + 1) = 0.5 * noise * w.trace();
    return value;
  }

 private:
  Eigen::VectorXd y_;
  std::vector<Eigen::MatrixXd> distances_;  // per group, squared distances between inputs
  double prior_centre_, prior_sd_;
};

// iRprop- (Igel and Huesken 2000): per-parameter steps that grow while the gradient keeps its
// sign and shrink when it flips; insensitive to the gradient's scale, no line search.
double rprop_ascent(const FitObjective& objective, LogParameters& p, int iterations) {
  Eigen::VectorXd step = Eigen::VectorXd::Constant(p.values.size(), 0.1);
  Eigen::VectorXd previous = Eigen::VectorXd::Zero(p.values.size()), gradient;
  LogParameters best = p;
  double best_value = -std::numeric_limits<double>::infinity();
  for (int iteration = 0; iteration < iterations; ++iteration) {
    const double value = objective(p, gradient);
    if (value > best_value) best_value = value, best = p;
    if (!std::isfinite(value)) break;
    for (Eigen::Index i = 0; i < p.values.size(); ++i) {
      if (gradient(i) * previous(i) > 0) step(i) = std::min(step(i) * 1.2, 1.0);
      if (gradient(i) * previous(i) < 0) step(i) = std::max(step(i) * 0.5, 1e-6), gradient(i) = 0;
      p.values(i) += gradient(i) > 0 ? step(i) : gradient(i) < 0 ? -step(i) : 0.0;
    }
    previous = gradient;
    p.clamp();
  }
  p = best;
  return best_value;
}

}  // namespace

GpKernel fit_gp_kernel(const Eigen::MatrixXd& inputs, const Eigen::VectorXd& targets,
                       std::vector<int> group, std::uint64_t seed, const GpFitOptions& options) {
  const GpKernel start = GpKernel::defaults(group);
  if (inputs.rows() != targets.size() || static_cast<std::size_t>(inputs.cols()) != group.size()) {
    throw std::invalid_argument("fit_gp_kernel: inputs, targets and feature groups disagree");
  }
  if (inputs.rows() < 3) return start;  // nothing to fit
  // An evenly strided subset bounds the O(n^3) fit; the posterior still uses every point.
  const Eigen::Index n = inputs.rows();
  const Eigen::Index m = std::min<Eigen::Index>(n, static_cast<Eigen::Index>(options.max_points));
  Eigen::MatrixXd x(m, inputs.cols());
  Eigen::VectorXd y(m);
  for (Eigen::Index i = 0; i < m; ++i) {
    x.row(i) = inputs.row(i * n / m);
    y(i) = targets(i * n / m);
  }
  const int groups = static_cast<int>(start.length_scales.size());
  const FitObjective objective(x, standardize(y).values, groups, group, options.length_prior_sd);

  std::mt19937_64 rng(seed);
  LogParameters best;
  double best_value = -std::numeric_limits<double>::infinity();
  for (int attempt = 0; attempt <= options.restarts; ++attempt) {
    LogParameters p{Eigen::VectorXd(groups + 2)};
    for (int g = 0; g < groups; ++g) {
      p.values(g) =
          std::log(start.length_scales(g)) + (attempt == 0 ? 0.0 : 3 * unit_interval(rng) - 1.5);
    }
    p.values(groups) = attempt == 0 ? 0.0 : 2 * unit_interval(rng) - 1;
    p.values(groups + 1) = attempt == 0 ? std::log(1e-2) : -8 + 6 * unit_interval(rng);
    p.clamp();
    const double value = rprop_ascent(objective, p, options.iterations);
    if (value > best_value || attempt == 0) best_value = value, best = p;
  }
  return best.kernel(group);
}

}  // namespace tandem
