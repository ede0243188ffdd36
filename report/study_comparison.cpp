// `tandem compare`: studies side by side (report/report.h).
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/number_format.h"
#include "report/report.h"
#include "search/pareto.h"

namespace tandem {
namespace {

std::vector<const TrialRecord*> ok_trials(const StudyContents& study) {
  std::vector<const TrialRecord*> ok;
  for (const TrialRecord& t : study.trials) {
    if (t.status == TrialStatus::ok && t.accuracy && t.latency_us && t.energy_uj) ok.push_back(&t);
  }
  return ok;
}

// Hypervolume of (accuracy maximized, cost minimized), normalized by the reference box
// [0, reference_cost] x [0, 1] so that 1 would be a perfect, free network.
double normalized_hypervolume(const std::vector<const TrialRecord*>& trials, CostMetric cost,
                              double reference_cost) {
  std::vector<Objectives> points;
  for (const TrialRecord* t : trials) points.push_back({*cost_of(*t, cost), -*t->accuracy});
  return hypervolume_2d(points, {reference_cost, 0.0}) / reference_cost;
}

}  // namespace

std::string StudyComparison::note() const {
  return "hypervolumes normalized to the box accuracy [0, 1] x latency [0, " + format_number(latency_reference_us) +
         " us] / energy [0, " + format_number(energy_reference_uj) + " uJ] shared by these studies";
}

StudyComparison compare_studies(const std::vector<StudyContents>& studies, std::optional<double> equal_accuracy) {
  StudyComparison comparison;
  // One reference for every study, so that their hypervolumes compare.
  double worst_latency = 0, worst_energy = 0;
  for (const StudyContents& study : studies) {
    for (const TrialRecord* t : ok_trials(study)) {
      worst_latency = std::max(worst_latency, *t->latency_us);
      worst_energy = std::max(worst_energy, *t->energy_uj);
    }
  }
  comparison.latency_reference_us = worst_latency * 1.1;
  comparison.energy_reference_uj = worst_energy * 1.1;

  Table& table = comparison.table;
  table.headers = {"study", "mode", "strategy", "ok/trials", "best reward", "best: accuracy", "latency us",
                   "energy uJ", "HV acc-latency", "HV acc-energy"};
  if (equal_accuracy) table.headers.push_back("min energy uJ at acc >= " + format_number(*equal_accuracy));
  table.headers.insert(table.headers.end(), {"winner accelerator", "winner network"});
  for (const StudyContents& study : studies) {
    const auto ok = ok_trials(study);
    const TrialRecord* best = best_trial(study.trials);
    const auto meta = [&](const char* key) { return study.meta.count(key) ? study.meta.at(key) : "?"; };
    std::vector<std::string> row{meta("name"), meta("mode"), meta("strategy"),
                                 std::to_string(ok.size()) + "/" + std::to_string(study.trials.size())};
    if (best) {
      row.insert(row.end(), {format_number(best->reward), format_number(best->accuracy.value_or(0)),
                             format_number(best->latency_us.value_or(0)), format_number(best->energy_uj.value_or(0))});
    } else {
      row.insert(row.end(), {"-", "-", "-", "-"});
    }
    row.push_back(ok.empty() ? "-"
                             : format_number(normalized_hypervolume(ok, CostMetric::latency_us,
                                                                    comparison.latency_reference_us)));
    row.push_back(ok.empty() ? "-"
                             : format_number(normalized_hypervolume(ok, CostMetric::energy_uj,
                                                                    comparison.energy_reference_uj)));
    if (equal_accuracy) {
      double lowest = std::numeric_limits<double>::infinity();
      for (const TrialRecord* t : ok) {
        if (*t->accuracy >= *equal_accuracy) lowest = std::min(lowest, *t->energy_uj);
      }
      row.push_back(std::isinf(lowest) ? "none" : format_number(lowest));
    }
    if (best) {
      const AcceleratorSummary hw = summarize(best->accelerator);
      row.push_back(hw.array + " " + hw.dataflow + ", " + hw.buffers + ", " + hw.lanes + " lanes, " +
                    std::to_string(best->accelerator.dram.bytes_per_cycle) + " B/cycle");
      row.push_back(best->network);
    } else {
      row.insert(row.end(), {"-", "-"});
    }
    table.rows.push_back(row);
  }
  return comparison;
}

}  // namespace tandem
