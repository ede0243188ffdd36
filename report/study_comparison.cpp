// `tandem compare`: studies side by side (report/report.h).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

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

// One study's figures; absent where the study has no ok trial (or the option was not asked).
struct StudyFigures {
  std::string name, mode, strategy, group;
  std::size_t ok = 0, trials = 0;
  const TrialRecord* best = nullptr;
  std::optional<double> hv_latency, hv_energy, min_energy_at_accuracy, trials_to_target;
  bool winner_over_latency = false;
};

// Trials proposed until the first ok trial whose reward reaches `target` (trial numbers count
// from 0 in proposal order), or nothing when none does.
std::optional<double> trials_to_reach(const StudyContents& study, double target) {
  std::optional<std::int64_t> first;
  for (const TrialRecord& t : study.trials) {
    if (t.status == TrialStatus::ok && t.reward >= target && (!first || t.number < *first)) first = t.number;
  }
  return first ? std::optional<double>(static_cast<double>(*first + 1)) : std::nullopt;
}

// The flow without what differs between the seeds of one experiment: its name, output folder
// and seed (top-level keys of the canonical flow text).
std::string seed_group(const StudyContents& study) {
  const auto found = study.meta.find("flow_text");
  std::istringstream lines(found == study.meta.end() ? "" : found->second);
  std::string group;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("name:", 0) == 0 || line.rfind("output_dir:", 0) == 0 || line.rfind("seed:", 0) == 0) continue;
    group += line + "\n";
  }
  return group;
}

// "joint-s2" -> "joint": the usual naming of an experiment's seeds.
std::string without_seed_suffix(const std::string& name) {
  const std::size_t dash = name.rfind("-s");
  if (dash == std::string::npos || dash + 2 == name.size()) return name;
  const bool digits = std::all_of(name.begin() + static_cast<std::ptrdiff_t>(dash + 2), name.end(),
                                  [](char c) { return c >= '0' && c <= '9'; });
  return digits ? name.substr(0, dash) : name;
}

std::string mean_and_spread(const std::vector<double>& values) {
  if (values.empty()) return "-";
  double mean = 0;
  for (double v : values) mean += v / static_cast<double>(values.size());
  if (values.size() == 1) return format_number(mean);
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double sd = std::sqrt(squares / static_cast<double>(values.size() - 1));  // sample standard deviation
  return format_number(mean) + " ± " + format_number(sd, 2);
}

std::string optional_number(const std::optional<double>& value, const char* absent) {
  return value ? format_number(*value) : absent;
}

}  // namespace

std::string StudyComparison::note() const {
  return "hypervolumes normalized to the box accuracy [0, 1] x latency [0, " + format_number(latency_reference_us) +
         " us] / energy [0, " + format_number(energy_reference_uj) + " uJ] shared by these studies" +
         (by_seed ? "; mean ± sample standard deviation over the seeds of each row" : "");
}

StudyComparison compare_studies(const std::vector<StudyContents>& studies, const ComparisonOptions& options) {
  StudyComparison comparison;
  comparison.by_seed = options.by_seed;
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

  std::vector<StudyFigures> figures;
  for (const StudyContents& study : studies) {
    const auto ok = ok_trials(study);
    const auto meta = [&](const char* key) { return study.meta.count(key) ? study.meta.at(key) : "?"; };
    StudyFigures f;
    f.name = meta("name");
    f.mode = meta("mode");
    f.strategy = meta("strategy");
    f.group = seed_group(study);
    f.ok = ok.size();
    f.trials = study.trials.size();
    f.best = best_trial(study.trials);
    if (!ok.empty()) {
      f.hv_latency = normalized_hypervolume(ok, CostMetric::latency_us, comparison.latency_reference_us);
      f.hv_energy = normalized_hypervolume(ok, CostMetric::energy_uj, comparison.energy_reference_uj);
    }
    if (options.equal_accuracy) {
      for (const TrialRecord* t : ok) {
        if (*t->accuracy >= *options.equal_accuracy) {
          f.min_energy_at_accuracy = std::min(f.min_energy_at_accuracy.value_or(*t->energy_uj), *t->energy_uj);
        }
      }
    }
    if (options.target_reward) f.trials_to_target = trials_to_reach(study, *options.target_reward);
    if (options.latency_limit_us && f.best) f.winner_over_latency = f.best->latency_us.value_or(0) > *options.latency_limit_us;
    figures.push_back(f);
  }

  Table& table = comparison.table;
  table.headers = {"study", "mode", "strategy"};
  if (options.by_seed) table.headers.push_back("seeds");
  table.headers.insert(table.headers.end(), {"ok/trials", "best reward"});
  if (!options.by_seed) table.headers.insert(table.headers.end(), {"best: accuracy", "latency us", "energy uJ"});
  table.headers.insert(table.headers.end(), {"HV acc-latency", "HV acc-energy"});
  if (options.equal_accuracy) table.headers.push_back("min energy uJ at acc >= " + format_number(*options.equal_accuracy));
  if (options.target_reward) table.headers.push_back("trials to reward >= " + format_number(*options.target_reward));
  if (options.latency_limit_us) {
    table.headers.push_back("winner over " + format_number(*options.latency_limit_us) + " us");
  }
  if (!options.by_seed) table.headers.insert(table.headers.end(), {"winner accelerator", "winner network"});

  if (!options.by_seed) {
    for (const StudyFigures& f : figures) {
      std::vector<std::string> row{f.name, f.mode, f.strategy, std::to_string(f.ok) + "/" + std::to_string(f.trials)};
      if (f.best) {
        row.insert(row.end(), {format_number(f.best->reward), format_number(f.best->accuracy.value_or(0)),
                               format_number(f.best->latency_us.value_or(0)), format_number(f.best->energy_uj.value_or(0))});
      } else {
        row.insert(row.end(), {"-", "-", "-", "-"});
      }
      row.push_back(optional_number(f.hv_latency, "-"));
      row.push_back(optional_number(f.hv_energy, "-"));
      if (options.equal_accuracy) row.push_back(optional_number(f.min_energy_at_accuracy, "none"));
      if (options.target_reward) row.push_back(optional_number(f.trials_to_target, "never"));
      if (options.latency_limit_us) row.push_back(!f.best ? "-" : f.winner_over_latency ? "yes" : "no");
      if (f.best) {
        const AcceleratorSummary hw = summarize(f.best->accelerator);
        row.push_back(hw.array + " " + hw.dataflow + ", " + hw.buffers + ", " + hw.lanes + " lanes, " +
                      std::to_string(f.best->accelerator.dram.bytes_per_cycle) + " B/cycle");
        row.push_back(f.best->network);
      } else {
        row.insert(row.end(), {"-", "-"});
      }
      table.rows.push_back(row);
    }
    return comparison;
  }

  // One row per group of studies that differ only in seed, in the order of their first study.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const StudyFigures*>> groups;
  for (const StudyFigures& f : figures) {
    if (!groups.count(f.group)) order.push_back(f.group);
    groups[f.group].push_back(&f);
  }
  for (const std::string& key : order) {
    const auto& members = groups.at(key);
    std::size_t ok = 0, trials = 0, over = 0, with_winner = 0;
    std::vector<double> best, hv_latency, hv_energy, min_energy, to_target;
    for (const StudyFigures* f : members) {
      ok += f->ok;
      trials += f->trials;
      if (f->best) {
        best.push_back(f->best->reward);
        ++with_winner;
        over += f->winner_over_latency ? 1 : 0;
      }
      if (f->hv_latency) hv_latency.push_back(*f->hv_latency);
      if (f->hv_energy) hv_energy.push_back(*f->hv_energy);
      if (f->min_energy_at_accuracy) min_energy.push_back(*f->min_energy_at_accuracy);
      if (f->trials_to_target) to_target.push_back(*f->trials_to_target);
    }
    const StudyFigures& first = *members.front();
    std::vector<std::string> row{without_seed_suffix(first.name), first.mode, first.strategy,
                                 std::to_string(members.size()), std::to_string(ok) + "/" + std::to_string(trials),
                                 mean_and_spread(best), mean_and_spread(hv_latency), mean_and_spread(hv_energy)};
    const std::string of_seeds = " of " + std::to_string(members.size());
    if (options.equal_accuracy) {
      row.push_back(min_energy.empty() ? "none" : mean_and_spread(min_energy) + " (" + std::to_string(min_energy.size()) + of_seeds + ")");
    }
    if (options.target_reward) {
      row.push_back(to_target.empty() ? "never" : mean_and_spread(to_target) + " (" + std::to_string(to_target.size()) + of_seeds + " reached)");
    }
    if (options.latency_limit_us) row.push_back(std::to_string(over) + " of " + std::to_string(with_winner));
    table.rows.push_back(row);
  }
  return comparison;
}

}  // namespace tandem
