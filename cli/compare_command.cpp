// `tandem compare STUDY...`: several studies side by side (same budget, same seeds), as
// computed by the report stage (compare_studies in report/report.h): best reward, hypervolumes
// against one shared reference, the lowest energy at a given accuracy, each study's winner.
// docs/results.md is made of these tables.
#include <iostream>
#include <optional>

#include "cli/command_registry.h"
#include "report/report.h"
#include "search/study.h"
#include "search/study_path.h"

namespace tandem::cli {
namespace {

struct CompareOptions {
  std::vector<std::string> studies;
  double equal_accuracy = -1;  // < 0: not asked
  bool markdown = false;
};

int run(const CompareOptions& o) {
  std::vector<StudyContents> studies;
  for (const std::string& path : o.studies) studies.push_back(Study::open(resolve_study_path(path)).contents());
  const StudyComparison comparison =
      compare_studies(studies, o.equal_accuracy >= 0 ? std::optional<double>(o.equal_accuracy) : std::nullopt);
  std::cout << (o.markdown ? comparison.table.markdown() + "\n" : comparison.table.text()) << comparison.note()
            << "\n";
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
