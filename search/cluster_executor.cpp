#include "search/cluster_executor.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "core/files.h"
#include "core/process.h"
#include "core/text.h"

namespace tandem {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Slurm has no record of a job for this many polls in a row: the job is lost.
constexpr int kUnseenPollsBeforeLost = 3;
// squeue failing this many times in a row: the cluster is out of reach; the search stops (its
// jobs go on, and a rerun adopts them).
constexpr int kFailedPollsBeforeGivingUp = 10;
// A job that completed but whose result file is not there yet: shared file systems may show a
// new file to other hosts late.
constexpr double kResultGraceSeconds = 30;

// "123_4" -> 4; -1 for a job that is not an array task.
int array_index_of(const std::string& job_id) {
  const std::size_t underscore = job_id.find('_');
  if (underscore == std::string::npos) return -1;
  try {
    return std::stoi(job_id.substr(underscore + 1));
  } catch (const std::exception&) {
    return -1;
  }
}

// The last line a job wrote to its log, for a failure's message; "" without a log.
std::string last_log_line(const std::string& file) {
  try {
    return trim(last_nonblank_line(read_file(file)));
  } catch (const FileError&) {
    return "";
  }
}

// The ids a search's interrupt cancelled (written by the interrupt command): a rerun does not
// count those jobs as failed attempts.
std::set<std::string> interrupted_ids(const std::string& file) {
  std::set<std::string> ids;
  try {
    std::istringstream words(read_file(file));
    for (std::string id; words >> id;) ids.insert(id);
  } catch (const FileError&) {
  }
  return ids;
}

// Disarms the interrupt command when a run ends, by return or by exception.
struct InterruptDisarm {
  ~InterruptDisarm() { set_interrupt_command({}); }
};

}  // namespace

struct ClusterExecutor::Slot {
  const ClusterTask* task = nullptr;
  std::string name;
  std::optional<JobRecord> live;  // the job in flight
  int attempts = 0;               // jobs submitted for this task, ever
  int failures = 0;               // of them, finished without a result
  int unseen_polls = 0;
  std::optional<Clock::time_point> completed_at;  // COMPLETED, result not seen yet
  bool done = false;
  ClusterOutcome outcome;
};

ClusterExecutor::ClusterExecutor(ExecutionSpec spec, std::string study_id, std::string jobs_dir, std::string since,
                                 std::vector<JobRecord> recorded, Recorder record, Log log)
    : spec_(std::move(spec)),
      study_id_(std::move(study_id)),
      jobs_dir_(std::move(jobs_dir)),
      since_(std::move(since)),
      recorded_(std::move(recorded)),
      record_(std::move(record)),
      log_(std::move(log)),
      interrupted_(interrupted_ids(jobs_dir_ + "/interrupted")) {}

std::string ClusterExecutor::job_name(const ClusterTask& task) const {
  return "tandem-" + study_id_ + "-" + task.kind + std::to_string(task.key / 1000);
}

// Slurm's log of a job ("%A_%a": sbatch's pattern for all of an array's).
std::string ClusterExecutor::log_file(const std::string& job_id) const {
  return jobs_dir_ + "/logs/slurm-" + job_id + ".log";
}

JobRecord ClusterExecutor::new_job(const ClusterTask& task, const std::string& job_id, int attempt,
                                   const std::string& state, const std::string& reason) const {
  return {job_id, task.kind, task.key, attempt, state, reason, log_file(job_id), utc_timestamp(), "", false};
}

void ClusterExecutor::update(JobRecord job) {
  record_(job);
  const auto known = std::find_if(recorded_.begin(), recorded_.end(),
                                  [&](const JobRecord& r) { return r.job_id == job.job_id; });
  if (known == recorded_.end()) recorded_.push_back(std::move(job));
  else *known = std::move(job);
}

// What an earlier run left: a result, jobs still in flight (adopted), failed attempts (counted).
void ClusterExecutor::adopt(Slot& slot, const std::map<std::string, SlurmJobState>& slurm) {
  const ClusterTask& task = *slot.task;
  std::vector<JobRecord> jobs;
  for (const JobRecord& job : recorded_) {
    if (job.kind == task.kind && job.key == task.key) jobs.push_back(job);
  }
  int last_attempt = 0;
  for (const JobRecord& job : jobs) last_attempt = std::max(last_attempt, job.attempt);
  // Submitted, but killed before the id was recorded: Slurm knows it by name and index.
  for (const auto& [id, state] : slurm) {
    if (state.name != slot.name || array_index_of(id) != array_index(task.key)) continue;
    if (std::any_of(jobs.begin(), jobs.end(), [&](const JobRecord& j) { return j.job_id == id; })) continue;
    const JobRecord found = new_job(task, id, ++last_attempt, state.state, state.reason);
    if (log_) log_("found unrecorded Slurm job " + id + " (" + state.state + ") of " + task.kind + " " +
                   std::to_string(task.key));
    update(found);
    jobs.push_back(found);
  }
  slot.attempts = last_attempt;
  for (JobRecord& job : jobs) {
    if (!job.in_flight()) {
      if (!job.result && counts_as_failure(job)) {
        ++slot.failures;
        slot.outcome.failure = failure_text(job);
      }
      continue;
    }
    if (slot.live) {  // never submitted twice on purpose; if it happened, one job is enough
      if (log_) log_("cancelling Slurm job " + job.job_id + ": " + slot.live->job_id + " does the same work");
      slurm_.cancel({job.job_id});
      job.state = "CANCELLED";
      job.reason = "a duplicate of " + slot.live->job_id;
      job.finished_at = utc_timestamp();
      update(job);
      continue;
    }
    slot.live = job;
    const auto state = slurm.find(job.job_id);
    if (log_) {
      log_("adopting Slurm job " + job.job_id + " of " + task.kind + " " + std::to_string(task.key) + " (" +
           (state == slurm.end() ? std::string("unknown to Slurm") : state->second.state) + ")");
    }
    settle(slot, state == slurm.end() ? nullptr : &state->second);
  }
  if (fs::exists(task.result_file)) {
    if (slot.live) finish_job(slot, "COMPLETED", "");
    slot.done = true;
    slot.outcome = {true, ""};
  } else if (!slot.live && slot.failures > spec_.retries) {
    slot.done = true;
  }
}

// One job array per job name: the array indices are the tasks' keys modulo 1000.
void ClusterExecutor::submit(std::vector<Slot*> slots) {
  std::map<std::string, std::vector<Slot*>> by_name;
  for (Slot* slot : slots) by_name[slot->name].push_back(slot);
  for (const auto& [name, group] : by_name) {
    std::ostringstream script;
    std::string indices;
    script << "#!/bin/sh\n# tandem: jobs of one study (" << group.front()->task->kind
           << "); the array index selects the work.\ncase \"$SLURM_ARRAY_TASK_ID\" in\n";
    for (const Slot* slot : group) {
      const int index = array_index(slot->task->key);
      indices += (indices.empty() ? "" : ",") + std::to_string(index);
      script << "  " << index << ") exec " << command_line(slot->task->argv) << " ;;\n";
    }
    script << "esac\necho \"tandem: no work for array index $SLURM_ARRAY_TASK_ID\" >&2\nexit 2\n";
    const auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
    const std::string script_file = jobs_dir_ + "/scripts/" + name + "-" + std::to_string(stamp) + ".sh";
    write_file(script_file, script.str());
    fs::create_directories(jobs_dir_ + "/logs");

    std::vector<std::string> args = {"--job-name=" + name, "--array=" + indices,
                                     "--output=" + log_file("%A_%a"),
                                     "--chdir=" + fs::current_path().string(),
                                     "--cpus-per-task=" + std::to_string(spec_.cpus_per_task)};
    if (!spec_.partition.empty()) args.push_back("--partition=" + spec_.partition);
    if (!spec_.time_limit.empty()) args.push_back("--time=" + spec_.time_limit);
    if (!spec_.mem.empty()) args.push_back("--mem=" + spec_.mem);
    args.insert(args.end(), spec_.extra_args.begin(), spec_.extra_args.end());
    const std::string array_id = slurm_.submit(args, script_file);

    std::string keys;
    for (Slot* slot : group) {
      const std::string id = array_id + "_" + std::to_string(array_index(slot->task->key));
      const JobRecord job = new_job(*slot->task, id, ++slot->attempts, "PENDING", "");
      update(job);
      slot->live = job;
      slot->unseen_polls = 0;
      slot->completed_at.reset();
      keys += (keys.empty() ? "" : " ") + std::to_string(slot->task->key);
    }
    if (log_) log_("submitted Slurm job array " + array_id + " (" + group.front()->task->kind + " " + keys + ")");
  }
}

void ClusterExecutor::settle(Slot& slot, const SlurmJobState* state) {
  if (!state) {
    if (++slot.unseen_polls >= kUnseenPollsBeforeLost) {
      finish_job(slot, "LOST", "unknown to squeue and sacct (cancelled long ago, or the controller lost it)");
    }
    return;
  }
  slot.unseen_polls = 0;
  if (!is_finished_slurm_state(state->state)) {
    if (state->state != slot.live->state || state->reason != slot.live->reason) {
      slot.live->state = state->state;
      slot.live->reason = state->reason;
      update(*slot.live);
      // A job that waits (PENDING, with the scheduler's reason) is shown, not silently waited for.
      if (log_) log_("Slurm job " + slot.live->job_id + ": " + state->state + (state->reason.empty() ? "" : " (" + state->reason + ")"));
    }
    return;
  }
  if (state->state == "COMPLETED" && !fs::exists(slot.task->result_file)) {
    if (!slot.completed_at) slot.completed_at = Clock::now();
    if (std::chrono::duration<double>(Clock::now() - *slot.completed_at).count() < kResultGraceSeconds) return;
    finish_job(slot, state->state, state->reason + (state->reason.empty() ? "" : "; ") +
                                       "completed without writing " + slot.task->result_file);
    return;
  }
  finish_job(slot, state->state, state->reason);
}

void ClusterExecutor::finish_job(Slot& slot, const std::string& state, const std::string& reason) {
  JobRecord job = *slot.live;
  slot.live.reset();
  job.state = state;
  job.reason = reason;
  job.finished_at = utc_timestamp();
  job.result = fs::exists(slot.task->result_file);
  if (job.result) {
    update(job);
    slot.done = true;
    slot.outcome = {true, ""};
    return;
  }
  if (!counts_as_failure(job)) {
    job.reason = "cancelled when its search was interrupted (not counted as a failed attempt)";
    update(job);
    return;
  }
  if (job.reason.empty()) job.reason = "no result";
  update(job);
  ++slot.failures;
  slot.outcome.failure = failure_text(job) + " (failure " + std::to_string(slot.failures) + " of " +
                         std::to_string(spec_.retries + 1) + " allowed)";
  if (slot.failures > spec_.retries) {
    slot.done = true;
    if (log_) log_(slot.outcome.failure + "; giving up");
  } else if (log_) {
    log_(slot.outcome.failure + "; submitting again");
  }
}

bool ClusterExecutor::counts_as_failure(const JobRecord& job) const {
  return !(job.state == "CANCELLED" && interrupted_.count(job.job_id));
}

std::string ClusterExecutor::failure_text(const JobRecord& job) const {
  const std::string last = last_log_line(job.log_file);
  return "Slurm job " + job.job_id + " ended " + job.state + (job.reason.empty() ? "" : " (" + job.reason + ")") +
         " on attempt " + std::to_string(job.attempt) + "; log " + job.log_file + (last.empty() ? "" : ": " + last);
}

// What an interrupted search runs (core/process.h): scancel of every job of this run's names
// (also one whose sbatch the signal interrupted, before its id was known), and the ids in
// flight noted in <jobs>/interrupted, so that the rerun does not count them as failures.
// Re-armed only when the ids change.
void ClusterExecutor::arm_interrupt(const std::vector<Slot>& slots, const std::set<std::string>& names) {
  std::string ids;
  for (const Slot& slot : slots) {
    if (slot.live) ids += " " + slot.live->job_id;
  }
  std::string script;
  if (!ids.empty()) script += "echo" + ids + " >> " + shell_quote(jobs_dir_ + "/interrupted") + "; scancel" + ids + "; ";
  for (const std::string& name : names) script += "scancel --name=" + shell_quote(name) + "; ";
  if (script == armed_) return;
  armed_ = script;
  set_interrupt_command({"/bin/sh", "-c", script});
}

// squeue/sacct through a short outage of the controller: asked again each poll, up to
// kFailedPollsBeforeGivingUp times in a row.
std::map<std::string, SlurmJobState> ClusterExecutor::query(const std::set<std::string>& names) {
  for (int failed = 1;; ++failed) {
    try {
      return slurm_.jobs_named(std::vector<std::string>(names.begin(), names.end()), since_);
    } catch (const std::runtime_error& e) {
      if (failed >= kFailedPollsBeforeGivingUp) throw;
      if (log_) log_(std::string(e.what()) + "; asking again");
      std::this_thread::sleep_for(std::chrono::duration<double>(spec_.poll_seconds));
    }
  }
}

std::vector<ClusterOutcome> ClusterExecutor::run(const std::vector<ClusterTask>& tasks) {
  std::vector<Slot> slots(tasks.size());
  std::set<std::string> names;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    slots[i].task = &tasks[i];
    slots[i].name = job_name(tasks[i]);
    names.insert(slots[i].name);
  }
  const InterruptDisarm disarm;
  armed_.clear();
  fs::create_directories(jobs_dir_);
  arm_interrupt(slots, names);
  const std::map<std::string, SlurmJobState> known = query(names);
  for (Slot& slot : slots) adopt(slot, known);

  while (true) {
    std::size_t live = 0;
    for (const Slot& slot : slots) live += slot.live.has_value();
    std::vector<Slot*> ready;
    for (Slot& slot : slots) {
      if (!slot.done && !slot.live && live + ready.size() < static_cast<std::size_t>(spec_.max_jobs)) {
        ready.push_back(&slot);
      }
    }
    if (!ready.empty()) submit(ready);
    arm_interrupt(slots, names);
    if (std::all_of(slots.begin(), slots.end(), [](const Slot& s) { return s.done; })) break;

    std::this_thread::sleep_for(std::chrono::duration<double>(spec_.poll_seconds));
    std::set<std::string> polled;
    for (const Slot& slot : slots) {
      if (slot.live) polled.insert(slot.name);
    }
    const std::map<std::string, SlurmJobState> states = query(polled);
    for (Slot& slot : slots) {
      if (!slot.live) continue;
      const auto state = states.find(slot.live->job_id);
      settle(slot, state == states.end() ? nullptr : &state->second);
    }
  }

  std::vector<ClusterOutcome> outcomes;
  for (const Slot& slot : slots) outcomes.push_back(slot.outcome);
  return outcomes;
}

}  // namespace tandem
