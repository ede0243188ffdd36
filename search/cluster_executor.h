// Running a search's expensive work as Slurm jobs (execution kind slurm): each task is one
// command that writes its result file when its work is done. Tasks of a kind go out as job
// arrays, at most `max_jobs` in flight; squeue/sacct are polled until every task has its result
// or has failed `retries + 1` times. Every submission and every state change is recorded
// through the recorder (the study's jobs table) as it happens, so that a rerun after kill -9
// adopts the jobs still running or finished instead of submitting them again. Jobs are found by
// name as well as by recorded id: a job submitted just before a kill, before its id could be
// recorded, is adopted too. Semantics: docs/search.md "Running on a cluster".
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "search/execution_spec.h"
#include "search/slurm_client.h"
#include "search/study.h"

namespace tandem {

struct ClusterTask {
  std::string kind;                // job family: "trial", "supernet", "validation"
  std::int64_t key = 0;            // unique within the kind (the trial number)
  std::vector<std::string> argv;   // what the job runs
  std::string result_file;         // written (atomically) by the command when its work is done
};

struct ClusterOutcome {
  bool ok = false;       // the result file exists
  std::string failure;   // otherwise: the last job's id, state, reason, attempts and log
};

class ClusterExecutor {
 public:
  using Recorder = std::function<void(const JobRecord&)>;
  using Log = std::function<void(const std::string&)>;

  // `study_id` names the study's jobs (unique per study, e.g. a hash of its path and creation
  // time); `jobs_dir` holds the job scripts and logs (on a file system the nodes share);
  // `recorded` are the study's job records so far; `since` ("YYYY-MM-DD") bounds sacct's search.
  ClusterExecutor(ExecutionSpec spec, std::string study_id, std::string jobs_dir, std::string since,
                  std::vector<JobRecord> recorded, Recorder record, Log log);

  // Blocks until every task is done. Never throws for a job's failure (it is in the outcome);
  // throws std::runtime_error when sbatch refuses a submission (its message: a bad partition,
  // a rejected option) or squeue fails 10 times in a row. While it runs, an interrupt of
  // tandem cancels the jobs (core/process.h set_interrupt_command); a rerun does not count
  // those cancellations as failed attempts.
  std::vector<ClusterOutcome> run(const std::vector<ClusterTask>& tasks);

  // The Slurm job name and array index of a task: one name per kind and thousand keys, since
  // clusters cap array indices (MaxArraySize, 1001 by default).
  std::string job_name(const ClusterTask& task) const;
  static int array_index(std::int64_t key) { return static_cast<int>(key % 1000); }

 private:
  struct Slot;
  void adopt(Slot& slot, const std::map<std::string, SlurmJobState>& slurm);
  void submit(std::vector<Slot*> slots);
  void settle(Slot& slot, const SlurmJobState* state);
  void finish_job(Slot& slot, const std::string& state, const std::string& reason);
  std::string log_file(const std::string& job_id) const;
  // The record of a job just submitted or found: in flight, no result yet.
  JobRecord new_job(const ClusterTask& task, const std::string& job_id, int attempt, const std::string& state,
                    const std::string& reason) const;
  void update(JobRecord job);
  bool counts_as_failure(const JobRecord& job) const;
  std::string failure_text(const JobRecord& job) const;
  void arm_interrupt(const std::vector<Slot>& slots, const std::set<std::string>& names);
  std::map<std::string, SlurmJobState> query(const std::set<std::string>& names);

  ExecutionSpec spec_;
  std::string study_id_;
  std::string jobs_dir_;
  std::string since_;
  std::vector<JobRecord> recorded_;
  Recorder record_;
  Log log_;
  SlurmClient slurm_;
  std::set<std::string> interrupted_;  // jobs cancelled by an interrupted earlier run
  std::string armed_;                  // the interrupt command's script, as last set
};

}  // namespace tandem
