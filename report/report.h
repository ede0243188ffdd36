// `tandem report`: a study as files for people and spreadsheets. DIR/index.html is one
// self-contained page (inline CSS and SVG, no script, no external resource): accuracy vs latency
// and vs energy with the Pareto fronts, search progress, the winning design (parameters,
// per-layer cycles and energy), RTL validations, every trial. DIR/trials.csv has one row per
// trial (every field that is a number or a name, every accelerator parameter); DIR/pareto.csv
// one row per member of each Pareto set, named in its `front` column.
#pragma once

#include <string>

#include "search/study.h"
#include "search/text_table.h"

namespace tandem {

struct ReportFiles {
  std::string index_html, trials_csv, pareto_csv;
};

// Creates `dir` if needed and overwrites the three files.
ReportFiles write_report(const StudyContents& study, const std::string& dir);

TextTable pareto_csv_table(const std::vector<TrialRecord>& trials);
std::string report_html(const StudyContents& study);

}  // namespace tandem
