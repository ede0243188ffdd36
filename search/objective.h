// What a study optimizes: the MnasNet soft reward or a Pareto set over chosen metrics, and the
// hard constraints that reject a candidate. Pure functions of a candidate's metrics, so that
// the pipeline, `study show` and the experiments score trials the same way.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tandem {

// The metrics of one evaluated candidate that objectives and constraints read.
struct CandidateMetrics {
  std::optional<double> accuracy;  // top-1 in [0, 1]; absent before the accuracy step
  double latency_us = 0;
  double energy_uj = 0;
  double area_mm2 = 0;
};

// The metrics an objective or a constraint may name.
enum class Metric { accuracy, latency, energy, area };
const char* metric_name(Metric metric);      // "accuracy", "latency", ...
const char* metric_unit(Metric metric);      // "", "us", "uJ", "mm^2"
std::optional<Metric> parse_metric(const std::string& name);
std::vector<std::string> metric_names();
double metric_value(const CandidateMetrics& metrics, Metric metric);  // accuracy 0 when absent

struct Objective {
  enum class Kind {
    reward,  // MnasNet: accuracy * (cost / target)^weight, maximized
    pareto,  // non-dominated set over `metrics` (accuracy maximized, the rest minimized)
  };
  Kind kind = Kind::reward;
  Metric cost = Metric::latency;  // reward: latency or energy
  double target = 1;              // reward: in the cost's unit
  double weight = -0.07;          // reward: MnasNet's soft exponent w
  std::vector<Metric> metrics{Metric::accuracy, Metric::latency};  // pareto

  std::string describe() const;  // one line, for study metadata and reports
};

// A hard bound on one metric: a candidate outside it is rejected (for the cheap hardware
// metrics, before the accuracy evaluation).
struct Constraint {
  Metric metric = Metric::latency;
  std::optional<double> min;
  std::optional<double> max;
};

// accuracy * (cost / target)^weight; accuracy 1 when the candidate has none (hardware-only
// scoring).
double soft_reward(const Objective& objective, const CandidateMetrics& metrics);
// The vector a multi-objective strategy minimizes: -accuracy for accuracy, the value otherwise.
// For a reward objective: {-reward}.
std::vector<double> objective_vector(const Objective& objective, const CandidateMetrics& metrics);

// The first constraint that fails, as "latency 612.3 us > max 500 us", or nothing. Constraints
// on metrics the candidate does not have yet (accuracy before training) are skipped, so that the
// pipeline can check the hardware ones first and all of them after training.
std::optional<std::string> violated_constraint(const std::vector<Constraint>& constraints,
                                               const CandidateMetrics& metrics);

}  // namespace tandem
