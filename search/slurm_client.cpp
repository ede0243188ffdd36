#include "search/slurm_client.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "core/process.h"
#include "core/text.h"

namespace tandem {
namespace {

std::vector<std::string> split_on(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, separator)) fields.push_back(field);
  if (!line.empty() && line.back() == separator) fields.emplace_back();
  return fields;
}

std::string first_word(const std::string& text) {
  const std::size_t start = text.find_first_not_of(' ');
  if (start == std::string::npos) return "";
  return text.substr(start, text.find(' ', start) - start);
}

// A job or array task, not a pending range ("123_[4-7%2]") nor a step ("123.batch").
bool is_single_job(const std::string& id) {
  return !id.empty() && id.find('[') == std::string::npos && id.find('.') == std::string::npos;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace

bool is_finished_slurm_state(const std::string& state) {
  static const std::vector<std::string> finished = {
      "COMPLETED", "FAILED",  "TIMEOUT",  "CANCELLED", "NODE_FAIL",    "OUT_OF_MEMORY",
      "PREEMPTED", "BOOT_FAIL", "DEADLINE", "REVOKED",  "SPECIAL_EXIT", "LOST"};
  return std::find(finished.begin(), finished.end(), state) != finished.end();
}

std::vector<SlurmJobState> parse_squeue_output(const std::string& text) {
  std::vector<SlurmJobState> jobs;
  for (const std::string& line : lines_of(text)) {
    const std::vector<std::string> f = split_on(line, '|');
    if (f.size() < 4 || !is_single_job(f[0])) continue;
    jobs.push_back({f[0], f[1], first_word(f[2]), f[3] == "None" ? "" : f[3]});
  }
  return jobs;
}

std::vector<SlurmJobState> parse_sacct_output(const std::string& text) {
  std::vector<SlurmJobState> jobs;
  for (const std::string& line : lines_of(text)) {
    const std::vector<std::string> f = split_on(line, '|');
    if (f.size() < 5 || !is_single_job(f[0])) continue;
    // "CANCELLED by 0": the state is its first word, the rest says who.
    const std::string state = first_word(f[2]);
    std::string reason = trim(f[2].substr(std::min(f[2].size(), state.size())));
    if (!f[4].empty() && f[4] != "None") reason += (reason.empty() ? "" : ", ") + f[4];
    if (!f[3].empty()) reason += (reason.empty() ? "" : ", ") + std::string("exit ") + f[3];
    jobs.push_back({f[0], f[1], state, reason});
  }
  return jobs;
}

std::string SlurmClient::submit(const std::vector<std::string>& sbatch_args, const std::string& script) const {
  std::vector<std::string> argv = {"sbatch", "--parsable"};
  argv.insert(argv.end(), sbatch_args.begin(), sbatch_args.end());
  argv.push_back(script);
  ProcessOptions options;
  options.timeout_seconds = 120;
  const ProcessResult result = run_process(argv, options);
  // --parsable prints "JOBID" or "JOBID;CLUSTER".
  const std::string id = trim(result.out.substr(0, result.out.find(';')));
  if (!result.ok() || id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    throw std::runtime_error("sbatch " + result.describe() + ": " + trim(result.err + " " + result.out) +
                             " (command: " + command_line(argv) + ")");
  }
  return id;
}

std::map<std::string, SlurmJobState> SlurmClient::jobs_named(const std::vector<std::string>& names,
                                                              const std::string& since) const {
  std::map<std::string, SlurmJobState> jobs;
  if (names.empty()) return jobs;
  ProcessOptions options;
  options.timeout_seconds = 120;
  const std::string list = join(names, ",");
  const ProcessResult sacct = run_process(
      {"sacct", "-n", "-X", "-P", "--name=" + list, "--starttime=" + since, "-o", "JobID,JobName,State,ExitCode,Reason"},
      options);
  if (sacct.ok()) {
    for (SlurmJobState& job : parse_sacct_output(sacct.out)) jobs[job.job_id] = std::move(job);
  }
  // squeue after sacct: for a job both know, squeue is the newer word, unless both say it ended
  // the same way (sacct also says who cancelled it and the exit code).
  const ProcessResult squeue =
      run_process({"squeue", "-h", "-r", "--states=all", "--name=" + list, "-o", "%i|%j|%T|%r"}, options);
  if (!squeue.ok()) {
    throw std::runtime_error("squeue " + squeue.describe() + ": " + trim(squeue.err));
  }
  for (SlurmJobState& job : parse_squeue_output(squeue.out)) {
    const auto known = jobs.find(job.job_id);
    if (known != jobs.end() && known->second.state == job.state && is_finished_slurm_state(job.state)) continue;
    jobs[job.job_id] = std::move(job);
  }
  return jobs;
}

void SlurmClient::cancel(const std::vector<std::string>& job_ids) const {
  if (job_ids.empty()) return;
  std::vector<std::string> argv = {"scancel"};
  argv.insert(argv.end(), job_ids.begin(), job_ids.end());
  ProcessOptions options;
  options.timeout_seconds = 60;
  run_process(argv, options);
}

}  // namespace tandem
