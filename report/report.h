// The report stage: what tandem says about studies, for people and spreadsheets, computed once.
// - Summaries (`tandem study show`, the report): the accuracy-vs-cost Pareto sets, the best
//   trial, the trials, validations and meta data as tables, `study show --json`.
// - `tandem report`: DIR/index.html is one self-contained page (inline CSS and SVG, no script,
//   no external resource): accuracy vs latency and vs energy with the Pareto fronts, search
//   progress, the winning design (parameters, per-layer cycles and energy), RTL validations,
//   every trial. DIR/trials.csv has one row per trial (every field that is a number or a name,
//   every accelerator parameter); DIR/pareto.csv one row per member of each Pareto set, named
//   in its `front` column.
// - `tandem compare`: several studies side by side.
// This is the stage's one public header; report_internal.h and svg_plot.h are its internals.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/table.h"
#include "search/study.h"

namespace tandem {

// ---- Summaries ---------------------------------------------------------------------------------

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
  std::string array, dataflow, buffers, lanes;  // array: "8x6", on a mesh "2x2 of 8x6" (cores of it)
};
AcceleratorSummary summarize(const AcceleratorConfig& config);

enum class TableDetail {
  compact,  // for people: key accelerator parameters, rounded numbers
  full,     // for machines (CSV): every declared accelerator parameter, exact numbers
};
Table trials_table(const std::vector<const TrialRecord*>& trials, TableDetail detail);
Table trials_table(const std::vector<TrialRecord>& trials, TableDetail detail);
Table validations_table(const std::vector<ValidationRecord>& validations);
// Cluster jobs (execution kind slurm): id, work, attempt, Slurm's state and reason, log file.
Table jobs_table(const std::vector<const JobRecord*>& jobs);
Table meta_table(const std::map<std::string, std::string>& meta);

// The whole of `study show --json`: meta, trials, Pareto sets, best trial, validations.
nlohmann::ordered_json study_json(const StudyContents& study);

// ---- The report files --------------------------------------------------------------------------

struct ReportFiles {
  std::string index_html, trials_csv, pareto_csv;
};

// Creates `dir` if needed and overwrites the three files.
ReportFiles write_report(const StudyContents& study, const std::string& dir);

// ---- Comparison of studies ---------------------------------------------------------------------

// The figures comparisons of strategies rest on, for studies run alike (same budget, same
// seeds), one row each: best reward and its design, the hypervolumes of the accuracy-latency
// and accuracy-energy fronts normalized to one reference box shared by the studies (1 would be
// a perfect, free network), optionally the lowest energy at a given accuracy, and each study's
// winning design. docs/results.md is made of these tables.
// Options add columns: the lowest energy at accuracy >= equal_accuracy; the trials a study
// needed until an ok trial reached target_reward (the paper's "samples to reach a reward");
// whether the winner's latency exceeds latency_limit_us (a use case's limit). by_seed: one row
// per group of studies whose flows differ only in name, output_dir and seed, with the mean and
// spread over those seeds (winners dropped: they differ per seed).
struct ComparisonOptions {
  std::optional<double> equal_accuracy, target_reward, latency_limit_us;
  bool by_seed = false;
};
struct StudyComparison {
  Table table;
  double latency_reference_us = 0, energy_reference_uj = 0;  // the box: 1.1 x the worst cost
  bool by_seed = false;
  std::string note() const;  // the box, in one line
};
StudyComparison compare_studies(const std::vector<StudyContents>& studies, const ComparisonOptions& options = {});

}  // namespace tandem
