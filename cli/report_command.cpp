// `tandem report STUDY -o DIR`: the study as DIR/index.html (self-contained: inline SVG plots,
// no script), DIR/trials.csv and DIR/pareto.csv. STUDY is study.db or its directory.
#include <iostream>

#include "cli/command_registry.h"
#include "report/report.h"
#include "search/study.h"
#include "search/study_path.h"

namespace tandem::cli {
namespace {

void setup(CLI::App& app) {
  auto study = std::make_shared<std::string>();
  auto dir = std::make_shared<std::string>();
  auto* report = app.add_subcommand(
      "report", "Write a study's report: index.html (Pareto fronts, progress, winning design, "
                "validations, trials), trials.csv and pareto.csv");
  report->add_option("STUDY", *study, "study.db, or the search output directory holding it")->required();
  report->add_option("-o,--output", *dir, "directory to write into (created if needed)")->required();
  report->callback([study, dir] {
    const ReportFiles files = write_report(Study::open(resolve_study_path(*study)).contents(), *dir);
    std::cerr << "wrote " << files.index_html << ", " << files.trials_csv << ", " << files.pareto_csv
              << "\n";
  });
}

RegisterCommand registration("report", setup);

}  // namespace
}  // namespace tandem::cli
