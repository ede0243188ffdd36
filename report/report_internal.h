// What the report stage's files share and nothing outside report/ uses: the pieces of the
// report files and the report's plots, each plot built from the study with the one plotting
// module (svg_plot.h).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/report.h"

namespace tandem {

// index.html, and the table of pareto.csv: the members of each Pareto set after its name.
std::string report_html(const StudyContents& study);
Table pareto_csv_table(const std::vector<TrialRecord>& trials);

// Every ok trial with accuracy and the cost; the Pareto members highlighted and joined.
std::string accuracy_cost_plot(const std::vector<TrialRecord>& trials, const ParetoSet& set);
// Each ok trial's reward by trial number, and the best reward so far.
std::string progress_plot(const std::vector<TrialRecord>& trials);
// Per-layer cycles, and per-layer energy stacked by component, from a NetworkMetrics JSON
// (core/metrics.h). Layers without the numbers count as 0.
std::string layer_cycles_plot(const nlohmann::json& metrics);
std::string layer_energy_plot(const nlohmann::json& metrics);

}  // namespace tandem
