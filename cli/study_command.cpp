// `tandem study show STUDY [--json]`: what a study holds, for people (meta, trials, Pareto sets,
// best trial, validations, cluster jobs) or, with --json, for machines. STUDY is study.db or its directory.
#include <iostream>
#include <map>

#include "cli/command_registry.h"
#include "report/report.h"
#include "search/study.h"
#include "search/study_path.h"

namespace tandem::cli {
namespace {

std::string status_counts(const std::vector<TrialRecord>& trials) {
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& trial : trials) ++counts[static_cast<int>(trial.status)];
  std::string text;
  for (TrialStatus status : {TrialStatus::ok, TrialStatus::rejected, TrialStatus::failed}) {
    text += (text.empty() ? "" : ", ") + std::to_string(counts[static_cast<int>(status)]) + " " +
            trial_status_name(status);
  }
  return text;
}

// A study run on a cluster: its jobs by state, those in flight, and those that ended without a
// result (each was retried, or its trial failed with the job's reason).
void print_jobs(const std::vector<JobRecord>& jobs, std::ostream& out) {
  std::map<std::string, int> by_state;
  std::vector<const JobRecord*> in_flight, unsuccessful;
  for (const JobRecord& job : jobs) {
    ++by_state[job.state];
    if (job.in_flight()) in_flight.push_back(&job);
    else if (!job.result) unsuccessful.push_back(&job);
  }
  std::string counts;
  for (const auto& [state, count] : by_state) counts += (counts.empty() ? "" : ", ") + std::to_string(count) + " " + state;
  out << "\ncluster jobs: " << jobs.size() << " (" << counts << ")\n";
  out << "  in flight: " << in_flight.size() << "\n";
  if (!in_flight.empty()) out << jobs_table(in_flight).text("    ");
  if (!unsuccessful.empty()) {
    out << "  ended without a result: " << unsuccessful.size() << "\n" << jobs_table(unsuccessful).text("    ");
  }
}

void print_study(const StudyContents& study, std::ostream& out) {
  out << "study " << study.path << "\n" << meta_table(study.meta).text("  ");
  out << "\ntrials: " << study.trials.size() << " (" << status_counts(study.trials) << ")\n";
  if (!study.trials.empty()) out << trials_table(study.trials, TableDetail::compact).text("  ");
  for (const auto& set : accuracy_pareto_sets(study.trials)) {
    out << "\nPareto set, accuracy (max) vs " << cost_metric_label(set.cost) << " (min): "
        << set.members.size() << " of " << set.candidates << " ok trials with both\n";
    std::vector<const TrialRecord*> members;
    for (auto number : set.members) members.push_back(find_trial(study.trials, number));
    if (!members.empty()) out << trials_table(members, TableDetail::compact).text("  ");
  }
  const TrialRecord* best = best_trial(study.trials);
  out << "\nbest trial (highest reward, ok): ";
  if (best) {
    out << best->number << ", reward " << best->reward << ", " << best->network << " on "
        << summarize(best->accelerator).array << " " << summarize(best->accelerator).dataflow
        << " (" << best->accelerator_hash << ")\n";
  } else {
    out << "none (no ok trial yet)\n";
  }
  out << "\nvalidations: " << study.validations.size() << "\n";
  if (!study.validations.empty()) out << validations_table(study.validations).text("  ");
  if (!study.jobs.empty()) print_jobs(study.jobs, out);
}

void setup(CLI::App& app) {
  auto* study = app.add_subcommand("study", "Inspect a study database (the trials of a search)");
  study->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* show = study->add_subcommand(
      "show", "Print a study's meta data, trials, Pareto sets (accuracy vs latency and energy), "
              "best trial and RTL validations");
  show->add_option("STUDY", *path, "study.db, or the search output directory holding it")->required();
  show->add_flag("--json", *json, "print everything (every field of every trial) as JSON");
  show->callback([path, json] {
    const StudyContents contents = Study::open(resolve_study_path(*path)).contents();
    if (*json) std::cout << study_json(contents).dump(2) << "\n";
    else print_study(contents, std::cout);
  });
}

RegisterCommand registration("study", setup);

}  // namespace
}  // namespace tandem::cli
