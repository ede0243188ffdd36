#include "search/study_cluster.h"

#include <ctime>
#include <filesystem>

#include "core/accelerator_yaml.h"
#include "core/files.h"
#include "core/sha256.h"

namespace tandem {

namespace fs = std::filesystem;

namespace {

// sacct's --starttime for a study's jobs: the day before the study was created ("YYYY-MM-DD").
std::string day_before(const std::string& iso_utc) {
  std::tm utc{};
  if (iso_utc.size() < 10 || !strptime(iso_utc.substr(0, 10).c_str(), "%Y-%m-%d", &utc)) return "2000-01-01";
  const std::time_t day = timegm(&utc) - 24 * 3600;
  gmtime_r(&day, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
  return text;
}

std::string absolute(const std::string& path) { return fs::absolute(path).lexically_normal().string(); }

// A job's trial record, checked to be the candidate that was asked for.
TrialRecord read_trial_result(const std::string& file, const Candidate& candidate, const CandidateScorer& scorer) {
  try {
    TrialRecord trial = trial_from_json(nlohmann::json::parse(read_file(file)));
    if (trial.genotype != candidate.genotype || trial.accelerator_hash != config_hash(candidate.accelerator)) {
      throw std::runtime_error("it is another candidate's (genotype " + format_genotype(trial.genotype) +
                               ", accelerator " + trial.accelerator_hash + ")");
    }
    return trial;
  } catch (const std::exception& e) {
    return scorer.unevaluated(candidate, "cluster: result " + file + " unusable: " + e.what());
  }
}

}  // namespace

std::string StudyCluster::jobs_directory(const SearchFlow& flow) { return flow.flow.output_dir + "/jobs"; }

std::optional<StudyCluster> StudyCluster::of(const SearchFlow& flow, Study& study, std::mutex& mutex,
                                             Options options) {
  if (flow.execution.kind != ExecutionSpec::Kind::slurm) return std::nullopt;
  const std::string created = study.meta()[Study::kCreatedAtKey];
  const std::string study_id = sha256_hex(absolute(flow.study_path()) + "\n" + created).substr(0, 10);
  // A folder per study: jobs of another study (one deleted by hand or with --fresh, whose jobs
  // may still be running) never write where this one reads.
  const std::string jobs_dir = absolute(jobs_directory(flow)) + "/" + study_id;
  auto record = [&study, &mutex](const JobRecord& job) {
    const std::lock_guard<std::mutex> lock(mutex);
    study.record_job(job);
  };
  ClusterExecutor executor(flow.execution, study_id, jobs_dir, day_before(created), study.jobs(), record,
                           options.log);
  return StudyCluster(flow, std::move(executor), jobs_dir, std::move(options));
}

StudyCluster::StudyCluster(const SearchFlow& flow, ClusterExecutor executor, std::string jobs_dir, Options options)
    : flow_(&flow), executor_(std::move(executor)), jobs_dir_(std::move(jobs_dir)), options_(std::move(options)) {}

// tandem SUBCOMMAND FLOW [--cache-dir DIR], with every path absolute: a job may start elsewhere.
std::vector<std::string> StudyCluster::tandem_command(const std::string& subcommand) const {
  std::vector<std::string> argv = {options_.tandem_program.empty() ? sibling_executable("tandem")
                                                                   : options_.tandem_program,
                                   subcommand, absolute(flow_->flow.file)};
  if (!options_.cache_dir.empty()) argv.insert(argv.end(), {"--cache-dir", absolute(options_.cache_dir)});
  return argv;
}

std::vector<TrialRecord> StudyCluster::evaluate(const std::vector<Candidate>& candidates,
                                                const std::vector<std::int64_t>& numbers,
                                                const CandidateScorer& scorer) {
  std::vector<ClusterTask> tasks;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::string dir = jobs_dir_ + "/trial-" + std::to_string(numbers[i]);
    write_file_atomically(dir + "/accelerator.yaml", accelerator_to_yaml(candidates[i].accelerator));
    ClusterTask task{"trial", numbers[i], tandem_command("evaluate"), dir + "/trial.json"};
    task.argv.insert(task.argv.end(), {"--accel", dir + "/accelerator.yaml", "--output", task.result_file});
    if (!candidates[i].genotype.empty()) {
      task.argv.insert(task.argv.end(), {"--genotype", format_genotype(candidates[i].genotype)});
    }
    tasks.push_back(std::move(task));
  }
  const std::vector<ClusterOutcome> outcomes = executor_.run(tasks);
  std::vector<TrialRecord> trials;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    trials.push_back(outcomes[i].ok ? read_trial_result(tasks[i].result_file, candidates[i], scorer)
                                    : scorer.unevaluated(candidates[i], "cluster: " + outcomes[i].failure));
  }
  return trials;
}

std::vector<ValidationRecord> StudyCluster::validate(const std::vector<TrialRecord>& trials) {
  std::vector<ClusterTask> tasks;
  for (const TrialRecord& trial : trials) {
    // The job reads the trial from a file, not from study.db: SQLite's WAL mode does not work
    // across the hosts of a shared file system.
    const std::string dir = jobs_dir_ + "/validation-" + std::to_string(trial.number);
    write_file_atomically(dir + "/trial.json", to_json(trial).dump() + "\n");
    ClusterTask task{"validation", trial.number, tandem_command("validate"), dir + "/validation.json"};
    task.argv.insert(task.argv.end(), {"--trial-json", dir + "/trial.json", "--output", task.result_file});
    tasks.push_back(std::move(task));
    if (options_.log) options_.log("validating trial " + std::to_string(trial.number) + " on the RTL (a cluster job)");
  }
  if (tasks.empty()) return {};
  const std::vector<ClusterOutcome> outcomes = executor_.run(tasks);
  std::vector<ValidationRecord> validations;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    ValidationRecord validation;
    try {
      if (!outcomes[i].ok) throw std::runtime_error(outcomes[i].failure);
      validation = validation_from_json(nlohmann::json::parse(read_file(tasks[i].result_file)));
      if (validation.trial != trials[i].number) throw std::runtime_error("it validates trial " + std::to_string(validation.trial));
    } catch (const std::exception& e) {
      validation = ValidationRecord{};
      validation.message = std::string("cluster: ") + e.what();
      validation.finished_at = utc_timestamp();
    }
    validation.trial = trials[i].number;
    validations.push_back(std::move(validation));
  }
  return validations;
}

AccuracyMeter::RemoteRunner StudyCluster::remote_runner() {
  return [this](const std::vector<std::string>& argv, const std::string& result_file) {
    const ClusterOutcome outcome = executor_.run({ClusterTask{"supernet", 0, argv, result_file}}).front();
    if (!outcome.ok) throw std::runtime_error("the supernet's training on the cluster failed: " + outcome.failure);
  };
}

}  // namespace tandem
