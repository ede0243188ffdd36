// Where a search runs its expensive work (`search: {execution: ...}` of a flow): here, as
// threads and child processes (kind local, the default), or as jobs of a Slurm cluster (kind
// slurm). Execution never changes results, so it is not part of the flow's hash: a study can be
// started locally and continued on a cluster. Schema: docs/search.md "Running on a cluster".
#pragma once

#include <string>
#include <vector>

#include "core/yaml_input.h"

namespace tandem {

struct ExecutionSpec {
  enum class Kind { local, slurm };
  Kind kind = Kind::local;
  // Slurm only (sbatch options; empty: the cluster's default).
  std::string partition;
  std::string time_limit;   // sbatch --time: "MM", "HH:MM:SS", "D-HH"
  int cpus_per_task = 1;
  std::string mem;          // sbatch --mem: "4G", "500M"
  int max_jobs = 16;        // jobs in flight (pending or running) at once
  int retries = 2;          // resubmissions of a job that failed, timed out, was cancelled or lost
  double poll_seconds = 2;  // between squeue/sacct queries
  std::vector<std::string> extra_args;  // further sbatch arguments, e.g. ["--qos=short"]
};

const char* execution_kind_name(ExecutionSpec::Kind kind);

// Throws InputError (file, line, field, what is valid) for a bad block.
ExecutionSpec parse_execution_spec(const YamlMap& map);

}  // namespace tandem
