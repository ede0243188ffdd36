// `tandem compare STUDY...`: the figures the paper's comparisons rest on, for several studies
// side by side (same budget, same seeds): best reward, hypervolume of the accuracy-latency and
// accuracy-energy fronts against one shared reference, the lowest energy at a given accuracy,
// and each study's winning design. docs/results.md is made of these tables.
#include <algorithm>
#include <iostream>
#include <limits>

#include "cli/command_registry.h"
#include "search/pareto.h"
#include "search/study.h"
#include "search/study_path.h"
#include "report/study_summary.h"
#include "search/text_table.h"

namespace tandem::cli {
namespace {

struct CompareOptions {
  std::vector<std::string> studies;
  double equal_accuracy = -1;  // < 0: not asked
  bool markdown = false;
};

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

// A cell as Markdown table text: '|' (which network descriptions use) escaped.
std::string markdown_cell(const std::string& text) {
  std::string cell;
  for (char c : text) cell += c == '|' ? std::string("\\|") : std::string(1, c);
  return cell;
}

std::string markdown(const TextTable& table) {
  std::string text = "|";
  for (const std::string& h : table.headers) text += " " + h + " |";
  text += "\n|";
  for (std::size_t i = 0; i < table.headers.size(); ++i) text += "---|";
  text += "\n";
  for (const auto& row : table.rows) {
    text += "|";
    for (const std::string& cell : row) text += " " + markdown_cell(cell) + " |";
    text += "\n";
  }
  return text;
}

int run(const CompareOptions& o) {
  std::vector<StudyContents> studies;
  for (const std::string& path : o.studies) studies.push_back(Study::open(resolve_study_path(path)).contents());
  // One reference for every study, so that their hypervolumes compare.
  double worst_latency = 0, worst_energy = 0;
  for (const StudyContents& study : studies) {
    for (const TrialRecord* t : ok_trials(study)) {
      worst_latency = std::max(worst_latency, *t->latency_us);
      worst_energy = std::max(worst_energy, *t->energy_uj);
    }
  }
  const double latency_reference = worst_latency * 1.1, energy_reference = worst_energy * 1.1;

  TextTable table;
  table.headers = {"study", "mode", "strategy", "ok/trials", "best reward", "best: accuracy", "latency us",
                   "energy uJ", "HV acc-latency", "HV acc-energy"};
  if (o.equal_accuracy >= 0) table.headers.push_back("min energy uJ at acc >= " + format_number(o.equal_accuracy));
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
    row.push_back(ok.empty() ? "-" : format_number(normalized_hypervolume(ok, CostMetric::latency_us, latency_reference)));
    row.push_back(ok.empty() ? "-" : format_number(normalized_hypervolume(ok, CostMetric::energy_uj, energy_reference)));
    if (o.equal_accuracy >= 0) {
      double lowest = std::numeric_limits<double>::infinity();
      for (const TrialRecord* t : ok) {
        if (*t->accuracy >= o.equal_accuracy) lowest = std::min(lowest, *t->energy_uj);
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
  std::cout << (o.markdown ? markdown(table) : table.text());
  std::cout << (o.markdown ? "\n" : "") << "hypervolumes normalized to the box accuracy [0, 1] x latency [0, "
            << format_number(latency_reference) << " us] / energy [0, " << format_number(energy_reference)
            << " uJ] shared by these studies\n";
  return 0;
}

void setup(CLI::App& app) {
  auto o = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Compare studies side by side: best reward, accuracy-latency/energy hypervolumes, winners");
  cmd->add_option("studies", o->studies, "study databases or output directories")->required();
  cmd->add_option("--equal-accuracy", o->equal_accuracy, "also report the lowest energy at accuracy >= this");
  cmd->add_flag("--markdown", o->markdown, "a Markdown table (for docs/results.md)");
  cmd->callback([o] { run(*o); });
}

RegisterCommand registration("compare", setup);

}  // namespace
}  // namespace tandem::cli
