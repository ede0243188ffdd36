// Gaussian-process regression for the bayesian strategy: a Matern-5/2 kernel with one length
// scale per group of input features (a gene's one-hot block shares one; one group is the
// isotropic kernel), Gaussian observation noise, Cholesky solves, and the kernel's
// hyperparameters fitted by maximizing the log marginal likelihood.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

namespace tandem {

// Variances are in units of the standardized targets (mean 0, standard deviation 1).
struct GpKernel {
  std::vector<int> group;         // per input feature, its group in [0, length_scales.size())
  Eigen::VectorXd length_scales;  // per group
  double signal_variance = 1;
  double noise_variance = 1e-2;

  // Defaults for `groups` groups: length scale sqrt(groups), which keeps random points of a
  // space with one feature per group correlated (Hvarfner et al. 2024).
  static GpKernel defaults(std::vector<int> group);
  // Covariance without the noise, rows of `a` against rows of `b`.
  Eigen::MatrixXd covariance(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) const;
};

// Matern-5/2 correlation at scaled distance r.
double matern52(double r);

struct GpPrediction {
  Eigen::VectorXd mean;      // in target units
  Eigen::VectorXd variance;  // of the latent function (no noise), in target units
};

class GaussianProcess {
 public:
  // Factorizes K + noise I (Cholesky, with growing jitter should K be numerically
  // indefinite); throws std::invalid_argument for mismatched sizes or no inputs.
  GaussianProcess(GpKernel kernel, Eigen::MatrixXd inputs, const Eigen::VectorXd& targets);

  // New targets at the same inputs: reuses the factorization, O(n^2).
  void set_targets(const Eigen::VectorXd& targets);

  GpPrediction predict(const Eigen::MatrixXd& at) const;
  // The kriging believer: as if `pending` had been observed at their posterior mean. The mean
  // does not change; the variance near the pending points shrinks, so a batch spreads out.
  GpPrediction predict(const Eigen::MatrixXd& at, const Eigen::MatrixXd& pending) const;

  double log_marginal_likelihood() const;  // of the standardized targets
  double noise_variance() const;           // in target units
  const GpKernel& kernel() const { return kernel_; }

 private:
  GpKernel kernel_;
  Eigen::MatrixXd inputs_;
  Eigen::LLT<Eigen::MatrixXd> factor_;
  double mean_ = 0, scale_ = 1;   // of the targets
  Eigen::VectorXd standardized_;  // targets
  Eigen::VectorXd alpha_;         // (K + noise I)^-1 standardized targets
};

// The feasibility classifier of the bayesian strategy: `labels` is GP regression on +1
// (feasible) / -1 (infeasible) labels, and the probability is that of a label above 0 under its
// predictive distribution, Phi(mean / sqrt(variance + noise)) (least-squares classification,
// Rasmussen and Williams 2006, section 6.5, squashed by the probit).
Eigen::VectorXd probability_positive(const GaussianProcess& labels, const Eigen::MatrixXd& at);

struct GpFitOptions {
  int restarts = 1;              // random starts besides the defaults
  int iterations = 40;           // Rprop steps per start
  std::size_t max_points = 128;  // fit on an evenly strided subset of at most this many
  double length_prior_sd = 1.0;  // log-normal prior on length scales around sqrt(groups)
};

// Hyperparameters maximizing the log marginal likelihood plus a weak log-normal prior on the
// length scales (a MAP fit, steadier than ML with few points), by iRprop- on the log
// parameters from the defaults and `restarts` random starts. Deterministic for `seed`.
GpKernel fit_gp_kernel(const Eigen::MatrixXd& inputs, const Eigen::VectorXd& targets,
                       std::vector<int> group, std::uint64_t seed,
                       const GpFitOptions& options = {});

}  // namespace tandem
