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
  double equal_accuracy = -1, target_reward = -1, latency_limit_us = -1;  // < 0: not asked
  bool markdown = false, by_seed = false;
};

std::optional<double> asked(double value) { return value >= 0 ? std::optional<double>(value) : std::nullopt; }

int run(const CompareOptions& o) {
  std::vector<StudyContents> studies;
  for (const std::string& path : o.studies) studies.push_back(Study::open(resolve_study_path(path)).contents());
  ComparisonOptions options;
  options.equal_accuracy = asked(o.equal_accuracy);
  options.target_reward = asked(o.target_reward);
  options.latency_limit_us = asked(o.latency_limit_us);
  options.by_seed = o.by_seed;
  const StudyComparison comparison = compare_studies(studies, options);
  std::cout << (o.markdown ? comparison.table.markdown() + "\n" : comparison.table.text()) << comparison.note()
            << "\n";
  return 0;
}

void setup(CLI::App& app) {
  auto o = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Compare studies side by side: best reward, accuracy-latency/energy hypervolumes, winners");
  cmd->add_option("studies", o->studies, "study databases or output directories")->required();
  cmd->add_option("--equal-accuracy", o->equal_accuracy, "also report the lowest energy at accuracy >= this")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--target-reward", o->target_reward, "also report the trials each study needed to reach this reward")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--latency-limit", o->latency_limit_us, "also report whether each winner's latency exceeds this (us)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--by-seed", o->by_seed,
                "one row per experiment: studies whose flows differ only in name, output_dir and seed, as mean ± spread");
  cmd->add_flag("--markdown", o->markdown, "a Markdown table (for docs/results.md)");
  cmd->callback([o] { run(*o); });
}

RegisterCommand registration("compare", setup);

}  // namespace
}  // namespace tandem::cli
