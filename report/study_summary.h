// What `tandem study show` and `tandem report` say about a study, computed once: the
// accuracy-vs-cost Pareto sets, the best trial, and the trials as a table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "search/study.h"
#include "search/text_table.h"

namespace tandem {

enum class CostMetric { latency_us, energy_uj };
const char* cost_metric_name(CostMetric cost);   // "latency_us", "energy_uj"
const char* cost_metric_label(CostMetric cost);  // "latency (us)", "energy (uJ)"
std::optional<double> cost_of(const TrialRecord& trial, CostMetric cost);

// The ok trials that are not dominated in (accuracy maximized, cost minimized), among the ok
// trials that have both numbers (finite). Uses search/pareto.h.
struct ParetoSet {
  CostMetric cost = CostMetric::latency_us;
  std::string name;                  // "accuracy_vs_latency_us"
  std::size_t candidates = 0;        // ok trials with accuracy and this cost
  std::vector<std::int64_t> members;  // trial numbers, by ascending cost
};
ParetoSet accuracy_pareto_set(const std::vector<TrialRecord>& trials, CostMetric cost);
std::vector<ParetoSet> accuracy_pareto_sets(const std::vector<TrialRecord>& trials);  // latency, energy

// The ok trial with the highest reward (the lowest number on ties); nullptr when none is ok.
const TrialRecord* best_trial(const std::vector<TrialRecord>& trials);
const TrialRecord* find_trial(const std::vector<TrialRecord>& trials, std::int64_t number);

// The accelerator parameters people compare first: "16x16", "weight_stationary",
// "64/64/64 KiB x4" (input/weight/output, banks), lanes.
struct AcceleratorSummary {
  std::string array, dataflow, buffers, lanes;
};
AcceleratorSummary summarize(const AcceleratorConfig& config);

enum class TableDetail {
  compact,  // for people: key accelerator parameters, rounded numbers
  full,     // for machines (CSV): every declared accelerator parameter, exact numbers
};
TextTable trials_table(const std::vector<const TrialRecord*>& trials, TableDetail detail);
TextTable trials_table(const std::vector<TrialRecord>& trials, TableDetail detail);
TextTable validations_table(const std::vector<ValidationRecord>& validations);
TextTable meta_table(const std::map<std::string, std::string>& meta);

// The whole of `study show --json`: meta, trials, Pareto sets, best trial, validations.
nlohmann::ordered_json study_json(const StudyContents& study);

}  // namespace tandem
