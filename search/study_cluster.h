// A study's expensive work as jobs of a Slurm cluster (execution kind slurm): which command
// each job runs (`tandem evaluate` for a trial, `tandem validate` for a winner, the supernet's
// trainer), where its files go (<output_dir>/jobs) and how its result is read back. The search
// loop (search_loop.cpp) asks it for trials and validations instead of running them itself;
// ClusterExecutor (cluster_executor.h) does the submitting, polling and retrying.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "search/candidate_scorer.h"
#include "search/cluster_executor.h"
#include "search/search_flow.h"
#include "search/study.h"

namespace tandem {

class StudyCluster {
 public:
  struct Options {
    std::string tandem_program;  // the `tandem` the jobs run; empty: the one next to this program
    std::string cache_dir;       // passed to the jobs; empty: their default
    std::function<void(const std::string&)> log;
  };

  // <output_dir>/jobs: job scripts, logs, the candidates' files and the results.
  static std::string jobs_directory(const SearchFlow& flow);

  // nullopt unless the flow's execution is kind slurm. Job names and the jobs' folder
  // (jobs_directory/<study id>) are unique to the study (its path and creation time, so --fresh
  // starts a new family); jobs are recorded in the study's jobs table, under `mutex`.
  static std::optional<StudyCluster> of(const SearchFlow& flow, Study& study, std::mutex& mutex, Options options);

  // The candidates as `tandem evaluate` jobs, one per trial number; the trials in the same order
  // (number, batch and point left for the caller). A job that failed every attempt, or whose
  // result is another candidate's, gives a failed trial saying why.
  std::vector<TrialRecord> evaluate(const std::vector<Candidate>& candidates, const std::vector<std::int64_t>& numbers,
                                    const CandidateScorer& scorer);
  // The recorded trials validated on the RTL as `tandem validate` jobs, in that order.
  std::vector<ValidationRecord> validate(const std::vector<TrialRecord>& trials);
  // Runs the supernet's training (AccuracyMeter::prepare) as a job.
  AccuracyMeter::RemoteRunner remote_runner();

 private:
  StudyCluster(const SearchFlow& flow, ClusterExecutor executor, std::string jobs_dir, Options options);
  std::vector<std::string> tandem_command(const std::string& subcommand) const;

  const SearchFlow* flow_;
  ClusterExecutor executor_;
  std::string jobs_dir_;
  Options options_;
};

}  // namespace tandem
