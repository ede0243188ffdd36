// The pieces of cluster execution that need no cluster: Slurm's output formats as tandem parses
// them, the `execution:` block (not part of the flow's hash), the study's one-writer lock, and
// the cluster executor's state machine against stand-in Slurm commands
// (tests/data/search/fake_slurm: failures, lost jobs, sbatch refusing, max_jobs). The real
// cluster runs in tests/slurm.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "core/input_error.h"
#include "core/files.h"
#include "search/cluster_executor.h"
#include "search/search_flow.h"
#include "search/slurm_client.h"
#include "search/study_lock.h"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

const fs::path kOut = fs::path(TANDEM_TEST_OUTPUT_DIR) / "t_cluster";

std::string write_file_text(const std::string& name, const std::string& text) {
  fs::create_directories(kOut);
  const std::string file = (kOut / name).string();
  std::ofstream(file) << text;
  return file;
}

// The stand-in Slurm of tests/data/search/fake_slurm first in PATH, its state in a fresh folder,
// for one test case; `plan`: one line per submission (run, fail, lose, refuse).
class FakeSlurm {
 public:
  FakeSlurm(const std::string& name, const std::string& plan) : state_(kOut / ("fake-" + name)) {
    fs::remove_all(state_);
    fs::create_directories(state_);
    std::ofstream(state_ / "plan") << plan;
    path_ = std::getenv("PATH") ? std::getenv("PATH") : "";
    setenv("PATH", (std::string(TANDEM_SOURCE_DIR) + "/tests/data/search/fake_slurm:" + path_).c_str(), 1);
    setenv("FAKE_SLURM", state_.c_str(), 1);
  }
  ~FakeSlurm() {
    setenv("PATH", path_.c_str(), 1);
    unsetenv("FAKE_SLURM");
  }
  const fs::path& state() const { return state_; }
  // The --array=... of every sbatch call.
  std::vector<std::string> arrays() const {
    std::vector<std::string> arrays;
    std::istringstream log(read_file(state_ / "sbatch.log"));
    for (std::string line; std::getline(log, line);) {
      const std::size_t at = line.find("--array=");
      arrays.push_back(line.substr(at + 8, line.find(' ', at) - at - 8));
    }
    return arrays;
  }

 private:
  fs::path state_;
  std::string path_;
};

ExecutionSpec fast_slurm(int retries, int max_jobs = 16) {
  ExecutionSpec spec;
  spec.kind = ExecutionSpec::Kind::slurm;
  spec.poll_seconds = 0.1;
  spec.retries = retries;
  spec.max_jobs = max_jobs;
  return spec;
}

// An executor on the fake Slurm: jobs under its state folder, no earlier records, every job
// record appended to `records` when given.
ClusterExecutor fake_executor(const FakeSlurm& slurm, ExecutionSpec spec, const std::string& study_id,
                              std::vector<JobRecord>* records = nullptr) {
  return ClusterExecutor(std::move(spec), study_id, (slurm.state() / "jobs-dir").string(), "2020-01-01", {},
                         [records](const JobRecord& job) {
                           if (records) records->push_back(job);
                         },
                         {});
}

// A task whose command writes its result file.
ClusterTask writing_task(const FakeSlurm& slurm, std::int64_t key) {
  const std::string result = (slurm.state() / ("result-" + std::to_string(key))).string();
  return {"trial", key, {"/bin/sh", "-c", "echo done > " + result}, result};
}

}  // namespace

TEST_CASE("t_cluster: squeue lines give job, name, state and reason, and skip pending ranges", "[cluster]") {
  const auto jobs = parse_squeue_output(
      "12_3|tandem-ab-trial0|RUNNING|None\n"
      "12_[4-7]|tandem-ab-trial0|PENDING|JobArrayTaskLimit\n"
      "13|tandem-ab-supernet0|PENDING|Resources\n"
      "\n");
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0].job_id == "12_3");
  CHECK(jobs[0].name == "tandem-ab-trial0");
  CHECK(jobs[0].state == "RUNNING");
  CHECK(jobs[0].reason.empty());
  CHECK(jobs[1].job_id == "13");
  CHECK(jobs[1].reason == "Resources");
}

TEST_CASE("t_cluster: sacct lines give the state's first word, who cancelled, reason and exit code", "[cluster]") {
  const auto jobs = parse_sacct_output(
      "20_0|tandem-ab-trial0|COMPLETED|0:0|None\n"
      "20_1|tandem-ab-trial0|CANCELLED by 0|0:15|None\n"
      "20_2|tandem-ab-trial0|TIMEOUT|0:0|None\n"
      "20_3|tandem-ab-trial0|FAILED|3:0|NonZeroExitCode\n"
      "20.batch|batch|COMPLETED|0:0|\n"
      "21_[0-3]|tandem-ab-trial0|PENDING|0:0|None\n");
  REQUIRE(jobs.size() == 4);
  CHECK(jobs[0].state == "COMPLETED");
  CHECK(jobs[0].reason == "exit 0:0");
  CHECK(jobs[1].state == "CANCELLED");
  CHECK(jobs[1].reason == "by 0, exit 0:15");
  CHECK(jobs[2].state == "TIMEOUT");
  CHECK(jobs[3].reason == "NonZeroExitCode, exit 3:0");
  CHECK(is_finished_slurm_state("TIMEOUT"));
  CHECK(is_finished_slurm_state("NODE_FAIL"));
  CHECK_FALSE(is_finished_slurm_state("PENDING"));
  CHECK_FALSE(is_finished_slurm_state("COMPLETING"));
}

TEST_CASE("t_cluster: the execution block parses and does not change the flow's hash", "[cluster]") {
  const std::string base =
      "name: s\noutput_dir: out/t_cluster\nsearch:\n  objective: {kind: reward, cost: latency, target: 100}\n";
  const SearchFlow local = load_search_flow(write_file_text("local.yaml", base));
  CHECK(local.execution.kind == ExecutionSpec::Kind::local);
  const SearchFlow slurm = load_search_flow(write_file_text(
      "slurm.yaml", base + "  execution:\n    kind: slurm\n    partition: debug\n    time_limit: '0:30:00'\n"
                           "    cpus_per_task: 2\n    mem: 4G\n    max_jobs: 3\n    retries: 1\n"
                           "    poll_seconds: 0.5\n    extra_args: [--qos=short, --exclusive]\n"));
  CHECK(slurm.execution.kind == ExecutionSpec::Kind::slurm);
  CHECK(slurm.execution.partition == "debug");
  CHECK(slurm.execution.time_limit == "0:30:00");
  CHECK(slurm.execution.cpus_per_task == 2);
  CHECK(slurm.execution.mem == "4G");
  CHECK(slurm.execution.max_jobs == 3);
  CHECK(slurm.execution.retries == 1);
  CHECK(slurm.execution.poll_seconds == 0.5);
  CHECK(slurm.execution.extra_args == std::vector<std::string>{"--qos=short", "--exclusive"});
  // Where trials run does not change them: the same study either way.
  CHECK(slurm.hash() == local.hash());
  const SearchFlow other = load_search_flow(write_file_text("other.yaml", base + "  trials: 3\n"));
  CHECK(other.hash() != local.hash());
}

TEST_CASE("t_cluster: a study has one writer at a time", "[cluster]") {
  const std::string study = (kOut / "locked" / "study.db").string();
  {
    const StudyLock first(study);
    try {
      const StudyLock second(study);
      FAIL("a second lock was granted");
    } catch (const InputError& e) {
      CHECK_THAT(e.what(), Catch::Contains("another tandem search is running this study"));
      CHECK_THAT(e.what(), Catch::Contains("pid " + std::to_string(::getpid())));
      CHECK_THAT(e.what(), Catch::Contains(study));
    }
  }
  const StudyLock again(study);  // released with the first
}

TEST_CASE("t_cluster: a job that fails every attempt is retried, then reported with its attempts", "[cluster]") {
  const FakeSlurm slurm("fail", "fail\nfail\nfail\n");
  std::vector<JobRecord> records;
  ClusterExecutor executor = fake_executor(slurm, fast_slurm(2), "f", &records);
  const std::vector<ClusterOutcome> outcomes = executor.run({writing_task(slurm, 7)});
  REQUIRE(outcomes.size() == 1);
  CHECK_FALSE(outcomes[0].ok);
  CHECK_THAT(outcomes[0].failure, Catch::Contains("ended FAILED") && Catch::Contains("failure 3 of 3 allowed"));
  CHECK(slurm.arrays() == std::vector<std::string>{"7", "7", "7"});  // three submissions, no fourth
  std::set<std::string> failed;
  for (const JobRecord& job : records) {
    if (!job.in_flight()) failed.insert(job.job_id + " " + job.state + " " + std::to_string(job.attempt));
  }
  CHECK(failed == std::set<std::string>{"100_7 FAILED 1", "101_7 FAILED 2", "102_7 FAILED 3"});
}

TEST_CASE("t_cluster: a job Slurm no longer knows is recorded LOST and submitted again", "[cluster]") {
  const FakeSlurm slurm("lose", "lose\nrun\n");
  std::vector<JobRecord> records;
  ClusterExecutor executor = fake_executor(slurm, fast_slurm(1), "l", &records);
  const std::vector<ClusterOutcome> outcomes = executor.run({writing_task(slurm, 3)});
  CHECK(outcomes[0].ok);
  REQUIRE(records.size() >= 3);
  CHECK(records.back().state == "COMPLETED");
  CHECK(records.back().result);
  const auto lost = std::find_if(records.begin(), records.end(), [](const JobRecord& j) { return j.state == "LOST"; });
  REQUIRE(lost != records.end());
  CHECK(lost->job_id == "100_3");
  CHECK_FALSE(lost->result);
}

TEST_CASE("t_cluster: max_jobs bounds the submissions, and a refused sbatch stops the run with its message",
          "[cluster]") {
  {
    const FakeSlurm slurm("max_jobs", "");
    ClusterExecutor executor = fake_executor(slurm, fast_slurm(0, 2), "m");
    const std::vector<ClusterOutcome> outcomes =
        executor.run({writing_task(slurm, 0), writing_task(slurm, 1), writing_task(slurm, 2)});
    for (const ClusterOutcome& outcome : outcomes) CHECK(outcome.ok);
    CHECK(slurm.arrays() == std::vector<std::string>{"0,1", "2"});
  }
  const FakeSlurm slurm("refuse", "refuse\n");
  ClusterExecutor executor = fake_executor(slurm, fast_slurm(2), "r");
  try {
    executor.run({writing_task(slurm, 0)});
    FAIL("a refused submission did not stop the run");
  } catch (const std::runtime_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("sbatch exited with status 1") &&
                             Catch::Contains("invalid partition specified: nosuch"));
  }
}
