#include "report/report.h"

#include <filesystem>
#include <stdexcept>

#include "report/report_internal.h"
#include "core/files.h"

namespace tandem {

Table pareto_csv_table(const std::vector<TrialRecord>& trials) {
  Table table;
  for (const auto& set : accuracy_pareto_sets(trials)) {
    std::vector<const TrialRecord*> members;
    for (auto number : set.members) members.push_back(find_trial(trials, number));
    Table part = trials_table(members, TableDetail::full);
    if (table.headers.empty()) {
      table.headers = part.headers;
      table.headers.insert(table.headers.begin(), "front");
    }
    for (auto& row : part.rows) {
      row.insert(row.begin(), set.name);
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

ReportFiles write_report(const StudyContents& study, const std::string& dir) {
  std::filesystem::create_directories(dir);
  const std::filesystem::path base(dir);
  ReportFiles files{(base / "index.html").string(), (base / "trials.csv").string(),
                    (base / "pareto.csv").string()};
  write_file(files.trials_csv, trials_table(study.trials, TableDetail::full).csv());
  write_file(files.pareto_csv, pareto_csv_table(study.trials).csv());
  write_file(files.index_html, report_html(study));
  return files;
}

}  // namespace tandem
