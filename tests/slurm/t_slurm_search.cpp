// Searches with execution: {kind: slurm} on a real single-node Slurm cluster
// (tests/support/slurm_cluster.h): the study equals the local run's; a job cancelled mid-run is
// retried; a job over its time limit is recorded with Slurm's reason; kill -9 of the search
// while its jobs run, then a rerun, submits no job twice (sacct); an interrupted search cancels
// its jobs. The stand-in accuracy command keeps each job to seconds.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "fake_search.h"
#include "run_process.h"
#include "search/cluster_executor.h"
#include "search/study.h"
#include "slurm_cluster.h"

using namespace tandem;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const fs::path kOut = fs::path(TANDEM_TEST_OUTPUT_DIR) / "t_slurm_search";

std::string slurm_block(const std::string& options = "") {
  return "  execution: { kind: slurm, poll_seconds: 0.5" + options + " }\n";
}

// A network_only study whose every trial measures its accuracy (no latency bound), each taking
// `delay_seconds`; run on the cluster unless `execution` is empty.
std::string flow_of(const std::string& name, int trials, double delay_seconds, const std::string& execution) {
  return test::write_fake_search_flow(kOut, name, "network_only", trials, "random", delay_seconds, execution,
                                      "{ area: { max: 1.5 } }");
}

// Each flow has its own accuracy cache, so that every evaluation takes its delay.
std::string search_command(const std::string& flow, const std::string& options = "--quiet") {
  return test::tandem_binary() + " search " + options + " --cache-dir " +
         (fs::path(flow).parent_path() / "cache").string() + " " + flow;
}

// The search as a child process of its own (exec: a signal hits the search and nothing else);
// `environment`: assignments in front of the command.
pid_t start_search(const std::string& flow, const std::string& environment = "") {
  const pid_t child = ::fork();
  if (child == 0) {
    ::execl("/bin/sh", "sh", "-c", (environment + " exec " + search_command(flow) + " >/dev/null 2>&1").c_str(),
            nullptr);
    ::_exit(127);
  }
  return child;
}

int wait_exit(pid_t child) {
  int status = 0;
  ::waitpid(child, &status, 0);
  return status;
}

std::vector<JobRecord> jobs_of(const std::string& flow) {
  try {
    return Study::open(test::fake_search_study(flow)).jobs();
  } catch (const std::exception&) {
    return {};  // not created yet
  }
}

// Waits (up to `seconds`) until `count` jobs of the study are RUNNING; returns them.
std::vector<JobRecord> wait_running(const std::string& flow, std::size_t count, double seconds = 90) {
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  std::vector<JobRecord> running;
  while (Clock::now() < deadline) {
    running.clear();
    for (const JobRecord& job : jobs_of(flow)) {
      if (job.state == "RUNNING") running.push_back(job);
    }
    if (running.size() >= count) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return running;
}

// sacct's jobs of the study's trial family: array index -> how many jobs ran it.
std::map<std::string, int> sacct_trial_jobs(const std::vector<JobRecord>& recorded) {
  std::set<std::string> arrays;
  for (const JobRecord& job : recorded) {
    if (job.kind == "trial") arrays.insert(job.job_id.substr(0, job.job_id.find('_')));
  }
  std::string ids;
  for (const std::string& id : arrays) ids += (ids.empty() ? "" : ",") + id;
  const auto sacct = test::run_process("sacct -n -X -P -o JobID,JobName -j " + ids);
  std::map<std::string, int> per_index;
  std::istringstream lines(sacct.out);
  for (std::string line; std::getline(lines, line);) {
    const std::string id = line.substr(0, line.find('|'));
    if (id.find('_') == std::string::npos || id.find('[') != std::string::npos) continue;
    ++per_index[id.substr(id.find('_') + 1)];
  }
  return per_index;
}

}  // namespace

TEST_CASE("t_slurm_search: a study run on Slurm equals the local run, and faults are retried or recorded",
          "[slurm]") {
  static test::SlurmCluster cluster;  // one cluster for every section (Catch reruns the case per section)

  SECTION("the same trials, results and RTL validation as locally, one job per trial") {
    // One cache for both runs: the local run builds the winner's simulator, the validation job
    // reuses it.
    const std::string cache = " --cache-dir " + (kOut / "equal-cache").string() + " ";
    const std::string local = test::write_fake_search_flow(kOut, "local", "joint", 6, "evolution", 0, "  validate_top: 1\n");
    REQUIRE(test::run_process(test::tandem_binary() + " search --quiet" + cache + local).exit_code == 0);
    const std::string slurm =
        test::write_fake_search_flow(kOut, "slurm", "joint", 6, "evolution", 0, "  validate_top: 1\n" + slurm_block());
    const auto result = test::run_process(test::tandem_binary() + " search --quiet" + cache + slurm);
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(test::study_outcomes(test::fake_search_study(slurm)) == test::study_outcomes(test::fake_search_study(local)));
    const std::vector<JobRecord> jobs = jobs_of(slurm);
    // Rejected candidates never reach the accuracy meter, but every trial is one job; then the
    // winner's validation.
    REQUIRE(jobs.size() == 7);
    for (const JobRecord& job : jobs) {
      CHECK(job.state == "COMPLETED");
      CHECK(job.attempt == 1);
      CHECK_FALSE(job.in_flight());
    }
    CHECK(jobs.back().kind == "validation");
    for (const auto& [index, count] : sacct_trial_jobs(jobs)) CHECK(count == 1);
    const std::vector<ValidationRecord> validated = Study::open(test::fake_search_study(slurm)).validations();
    const std::vector<ValidationRecord> reference = Study::open(test::fake_search_study(local)).validations();
    REQUIRE(validated.size() == 1);
    REQUIRE(reference.size() == 1);
    INFO(validated[0].message);
    CHECK(validated[0].agree);
    CHECK(validated[0].trial == reference[0].trial);
    CHECK(validated[0].rtl_latency_us == reference[0].rtl_latency_us);
    CHECK(validated[0].rtl_energy_uj == reference[0].rtl_energy_uj);
    const auto show = test::run_process(test::tandem_binary() + " study show " + test::fake_search_study(slurm));
    CHECK_THAT(show.out, Catch::Contains("cluster jobs: 7 (7 COMPLETED)"));
    CHECK_THAT(show.out, Catch::Contains("in flight: 0"));
  }

  SECTION("a job cancelled while it runs is recorded and submitted again") {
    const std::string flow = flow_of("scancel", 2, 10, slurm_block());
    const pid_t search = start_search(flow);
    const std::vector<JobRecord> running = wait_running(flow, 1);
    REQUIRE_FALSE(running.empty());
    REQUIRE(test::run_process("scancel " + running.front().job_id).exit_code == 0);
    const int status = wait_exit(search);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    int cancelled = 0, retried = 0;
    for (const JobRecord& job : jobs_of(flow)) {
      if (job.key != running.front().key) continue;
      if (job.attempt == 1) cancelled += job.state == "CANCELLED";
      if (job.attempt == 2) retried += job.state == "COMPLETED";
    }
    CHECK(cancelled == 1);
    CHECK(retried == 1);
    const auto trial = Study::open(test::fake_search_study(flow)).find(running.front().key);
    REQUIRE(trial);
    CHECK(trial->status != TrialStatus::failed);
  }

  SECTION("a job over its time limit is recorded as TIMEOUT, and its trial fails with the reason") {
    // Slurm's time limits are whole minutes: a 1-minute limit against a 200 s evaluation.
    const std::string flow = flow_of("timeout", 1, 200, slurm_block(", time_limit: '1', retries: 0"));
    const auto result = test::run_process(search_command(flow));
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const std::vector<JobRecord> jobs = jobs_of(flow);
    REQUIRE(jobs.size() == 1);
    CHECK(jobs.front().state == "TIMEOUT");
    const auto trial = Study::open(test::fake_search_study(flow)).find(0);
    REQUIRE(trial);
    CHECK(trial->status == TrialStatus::failed);
    CHECK_THAT(trial->reason, Catch::Contains("TIMEOUT") && Catch::Contains(jobs.front().job_id) &&
                                  Catch::Contains("failure 1 of 1 allowed"));
  }

  SECTION("kill -9 of the search while its jobs run: the rerun adopts them and submits none twice") {
    const std::string reference = flow_of("kill_reference", 4, 0, "");
    REQUIRE(test::run_process(search_command(reference)).exit_code == 0);
    // 20 s jobs: still running while the second search and study show look, on a slow machine too.
    const std::string flow = flow_of("kill", 4, 20, slurm_block());
    const pid_t search = start_search(flow);
    const std::vector<JobRecord> running = wait_running(flow, 1);
    REQUIRE_FALSE(running.empty());
    // One writer per study: a second search refuses while the first runs.
    const auto second = test::run_process(search_command(flow));
    CHECK(second.exit_code == 1);
    CHECK_THAT(second.err, Catch::Contains("another tandem search is running this study"));
    const auto show = test::run_process(test::tandem_binary() + " study show " + test::fake_search_study(flow));
    CHECK_THAT(show.out, Catch::Contains(running.front().job_id) && Catch::Contains("RUNNING"));
    CHECK_THAT(show.out, !Catch::Contains("in flight: 0"));
    ::kill(search, SIGKILL);
    wait_exit(search);

    const auto rerun = test::run_process(search_command(flow, ""));
    INFO(rerun.out << rerun.err);
    REQUIRE(rerun.exit_code == 0);
    CHECK_THAT(rerun.err, Catch::Contains("adopting Slurm job " + running.front().job_id));
    CHECK(test::study_outcomes(test::fake_search_study(flow)) ==
          test::study_outcomes(test::fake_search_study(reference)));
    const std::vector<JobRecord> jobs = jobs_of(flow);
    CHECK(jobs.size() == 4);
    for (const JobRecord& job : jobs) CHECK(job.state == "COMPLETED");
    const std::map<std::string, int> per_index = sacct_trial_jobs(jobs);
    CHECK(per_index.size() == 4);
    for (const auto& [index, count] : per_index) {
      INFO("array index " << index);
      CHECK(count == 1);
    }
  }

  SECTION("a supernet flow: the supernet trains as a job, then every candidate reads its accuracy off it") {
    const fs::path dir = kOut / "supernet";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string flow = (dir / "flow.yaml").string();
    std::ofstream(flow) << "name: supernet\noutput_dir: " << (dir / "out").string() << "\nseed: 2\n"
                        << "accelerator: { array: { rows: 8, cols: 8 } }\n"
                        << "search:\n  mode: network_only\n"
                        << "  objective: { kind: reward, cost: latency, target: 5000 }\n"
                        << "  accuracy:\n    kind: supernet\n"
                        << "    supernet: { epochs: 1, subset: 256, batch: 64, optimizer: adam, learning_rate: 0.005, "
                           "random_subnets: 1, calibration_images: 64, test_subset: 200 }\n"
                        << "  strategy: { name: random }\n  trials: 2\n  workers: 2\n  validate_top: 0\n"
                        << slurm_block();
    const auto result = test::run_process(search_command(flow, ""));
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const std::vector<JobRecord> jobs = jobs_of(flow);
    REQUIRE(jobs.size() == 3);
    CHECK(jobs[0].kind == "supernet");
    for (const JobRecord& job : jobs) CHECK(job.state == "COMPLETED");
    for (const TrialRecord& trial : Study::open(test::fake_search_study(flow)).trials()) {
      INFO("trial " << trial.number << ": " << trial.reason);
      REQUIRE(trial.status == TrialStatus::ok);
      CHECK(*trial.accuracy > 0.1);  // inherited weights beat chance on 10 classes
    }
  }

  SECTION("a job submitted but never recorded (killed between sbatch and the record) is found and adopted") {
    const fs::path dir = kOut / "unrecorded";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string result = (dir / "result").string();
    ExecutionSpec spec;
    spec.kind = ExecutionSpec::Kind::slurm;
    spec.poll_seconds = 0.5;
    std::vector<JobRecord> records;
    ClusterExecutor executor(spec, "unrecorded", (dir / "jobs").string(), "2020-01-01", {},
                             [&](const JobRecord& job) { records.push_back(job); }, {});
    const ClusterTask task{"trial", 1005, {"/bin/sh", "-c", "sleep 2; echo done > " + result}, result};
    // The earlier run's submission: the task's job name and array index, its id never recorded.
    const auto submitted = test::run_process("sbatch --parsable --job-name=" + executor.job_name(task) +
                                             " --array=5 --output=/dev/null --wrap 'sleep 2; echo done > " + result + "'");
    REQUIRE(submitted.exit_code == 0);
    const std::string id = submitted.out.substr(0, submitted.out.find_first_of(";\n")) + "_5";
    const std::vector<ClusterOutcome> outcomes = executor.run({task});
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].ok);
    std::set<std::string> ids;
    for (const JobRecord& job : records) ids.insert(job.job_id);
    CHECK(ids == std::set<std::string>{id});  // adopted, nothing submitted
    CHECK(records.back().state == "COMPLETED");
  }

  SECTION("max_jobs bounds the jobs in flight") {
    const std::string flow = flow_of("max_jobs", 2, 2, slurm_block(", max_jobs: 1"));
    const auto result = test::run_process(search_command(flow));
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const std::vector<JobRecord> jobs = jobs_of(flow);
    REQUIRE(jobs.size() == 2);
    // One array each, the second submitted once the first had finished.
    CHECK(jobs[0].job_id.substr(0, jobs[0].job_id.find('_')) != jobs[1].job_id.substr(0, jobs[1].job_id.find('_')));
    CHECK(jobs[1].submitted_at >= jobs[0].finished_at);
  }

  SECTION("a partition the cluster does not have stops the search with sbatch's message") {
    const std::string flow = flow_of("bad_partition", 2, 0, slurm_block(", partition: nosuch"));
    const auto result = test::run_process(search_command(flow));
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Catch::Contains("sbatch exited with status 1") && Catch::Contains("nosuch"));
    CHECK(jobs_of(flow).empty());
  }

  SECTION("an interrupted search cancels its jobs; the rerun does not count them as failures") {
    // 120 s evaluations in this run (the jobs inherit the variable), none in the rerun.
    const std::string flow = flow_of("interrupt", 2, 0, slurm_block(", retries: 0"));
    const pid_t search = start_search(flow, "FAKE_ACCURACY_DELAY=120");
    const std::vector<JobRecord> running = wait_running(flow, 2);
    REQUIRE(running.size() == 2);
    ::kill(search, SIGINT);
    const int status = wait_exit(search);
    CHECK(WIFSIGNALED(status));
    // sacct learns of a job's end a moment after squeue: ask both until they agree.
    const std::string ids = running[0].job_id + "," + running[1].job_id;
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    std::string live = "?";
    ProcessResult sacct;
    while (Clock::now() < deadline) {
      live = test::run_process("squeue -h -o %i -j " + ids).out;
      sacct = test::run_process("sacct -n -X -P -o State -j " + ids);
      if (live.empty() && sacct.out.find("RUNNING") == std::string::npos &&
          std::count(sacct.out.begin(), sacct.out.end(), '\n') == 2) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    CHECK(live.empty());
    CHECK_THAT(sacct.out, Catch::Contains("CANCELLED"));
    CHECK_THAT(sacct.out, !Catch::Contains("COMPLETED"));

    // The rerun submits the work again despite retries: 0.
    const auto rerun = test::run_process(search_command(flow));
    INFO(rerun.out << rerun.err);
    REQUIRE(rerun.exit_code == 0);
    for (const TrialRecord& trial : Study::open(test::fake_search_study(flow)).trials()) {
      INFO("trial " << trial.number << ": " << trial.reason);
      CHECK(trial.status == TrialStatus::ok);
    }
    int interrupted = 0;
    for (const JobRecord& job : jobs_of(flow)) {
      if (job.state == "CANCELLED") {
        ++interrupted;
        CHECK_THAT(job.reason, Catch::Contains("search was interrupted"));
      }
    }
    CHECK(interrupted == 2);
  }
}
