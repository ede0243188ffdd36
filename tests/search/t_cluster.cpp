// The pieces of cluster execution that need no cluster: Slurm's output formats as tandem parses
// them, the `execution:` block (not part of the flow's hash), and the study's one-writer lock.
// The real cluster runs in tests/slurm.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/input_error.h"
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
