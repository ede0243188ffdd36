// The Slurm commands a search uses (sbatch, squeue, sacct, scancel), run as processes with
// their output parsed: the whole contact surface with a cluster, kept in one place so that a
// change of Slurm's output formats is one change here. Parsing is exposed for the unit tests.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace tandem {

// What Slurm says about one job or array task.
struct SlurmJobState {
  std::string job_id;  // "123", or "123_4" for an array task
  std::string name;    // the job name (sbatch --job-name)
  std::string state;   // the first word of Slurm's state: PENDING, RUNNING, COMPLETED, CANCELLED, ...
  std::string reason;  // squeue's or sacct's reason, and sacct's exit code ("exit 3:0")
};

// A state after which the job will not run again: COMPLETED, FAILED, TIMEOUT, CANCELLED,
// NODE_FAIL, OUT_OF_MEMORY, PREEMPTED, BOOT_FAIL, DEADLINE, ...; PENDING, RUNNING, CONFIGURING,
// COMPLETING, REQUEUED, RESIZING, SUSPENDED and the like are not.
bool is_finished_slurm_state(const std::string& state);

// `squeue -h -r -o %i|%j|%T|%r` and `sacct -n -X -P -o JobID,JobName,State,ExitCode,Reason` lines.
// Lines of pending array ranges ("123_[4-7]") and job steps ("123.batch") are skipped.
std::vector<SlurmJobState> parse_squeue_output(const std::string& text);
std::vector<SlurmJobState> parse_sacct_output(const std::string& text);

class SlurmClient {
 public:
  // sbatch ARGS SCRIPT --parsable: the job id. Throws std::runtime_error with sbatch's message.
  std::string submit(const std::vector<std::string>& sbatch_args, const std::string& script) const;
  // Every job named one of `names`: squeue for the live ones (and those finished in the last
  // minutes), sacct (since `since`, "YYYY-MM-DD") for the rest. Throws std::runtime_error when
  // squeue fails; a cluster without accounting (sacct refuses) is answered by squeue alone.
  std::map<std::string, SlurmJobState> jobs_named(const std::vector<std::string>& names,
                                                  const std::string& since) const;
  // scancel JOB_IDS; errors are ignored (a job may have ended meanwhile).
  void cancel(const std::vector<std::string>& job_ids) const;
};

}  // namespace tandem
