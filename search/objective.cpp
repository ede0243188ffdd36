#include "search/objective.h"

#include <cmath>
#include <sstream>

#include "core/number_format.h"

namespace tandem {
namespace {

struct MetricInfo {
  Metric metric;
  const char* name;
  const char* unit;
};
constexpr MetricInfo kMetrics[] = {
    {Metric::accuracy, "accuracy", ""},
    {Metric::latency, "latency", "us"},
    {Metric::energy, "energy", "uJ"},
    {Metric::area, "area", "mm^2"},
};

const MetricInfo& info(Metric metric) {
  for (const MetricInfo& m : kMetrics) {
    if (m.metric == metric) return m;
  }
  return kMetrics[0];
}

std::string with_unit(double value, Metric metric) {
  return format_number(value, 6) + (*metric_unit(metric) ? std::string(" ") + metric_unit(metric) : "");
}

}  // namespace

const char* metric_name(Metric metric) { return info(metric).name; }
const char* metric_unit(Metric metric) { return info(metric).unit; }

std::optional<Metric> parse_metric(const std::string& name) {
  for (const MetricInfo& m : kMetrics) {
    if (name == m.name) return m.metric;
  }
  return std::nullopt;
}

std::vector<std::string> metric_names() {
  std::vector<std::string> names;
  for (const MetricInfo& m : kMetrics) names.push_back(m.name);
  return names;
}

double metric_value(const CandidateMetrics& metrics, Metric metric) {
  switch (metric) {
    case Metric::accuracy: return metrics.accuracy.value_or(0.0);
    case Metric::latency: return metrics.latency_us;
    case Metric::energy: return metrics.energy_uj;
    case Metric::area: return metrics.area_mm2;
  }
  return 0;
}

std::string Objective::describe() const {
  std::ostringstream text;
  if (kind == Kind::reward) {
    text << "maximize accuracy * (" << metric_name(cost) << " / " << with_unit(target, cost) << ")^"
         << weight;
  } else {
    text << "pareto over";
    for (Metric m : metrics) text << " " << metric_name(m);
  }
  return text.str();
}

double soft_reward(const Objective& objective, const CandidateMetrics& metrics) {
  const double cost = metric_value(metrics, objective.cost);
  return metrics.accuracy.value_or(1.0) * std::pow(cost / objective.target, objective.weight);
}

std::vector<double> objective_vector(const Objective& objective, const CandidateMetrics& metrics) {
  if (objective.kind == Objective::Kind::reward) return {-soft_reward(objective, metrics)};
  std::vector<double> vector;
  for (Metric m : objective.metrics) {
    const double value = metric_value(metrics, m);
    vector.push_back(m == Metric::accuracy ? -value : value);
  }
  return vector;
}

std::optional<std::string> violated_constraint(const std::vector<Constraint>& constraints,
                                               const CandidateMetrics& metrics) {
  for (const Constraint& c : constraints) {
    if (c.metric == Metric::accuracy && !metrics.accuracy) continue;
    const double value = metric_value(metrics, c.metric);
    if (c.max && value > *c.max) {
      return std::string(metric_name(c.metric)) + " " + with_unit(value, c.metric) + " > max " +
             with_unit(*c.max, c.metric);
    }
    if (c.min && value < *c.min) {
      return std::string(metric_name(c.metric)) + " " + with_unit(value, c.metric) + " < min " +
             with_unit(*c.min, c.metric);
    }
  }
  return std::nullopt;
}

}  // namespace tandem
