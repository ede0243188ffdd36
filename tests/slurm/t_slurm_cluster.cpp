// t_slurm_cluster: the private Slurm cluster the tests of execution: {kind: slurm} run on
// (tests/slurm/cluster.sh through tests/support/slurm_cluster.h). It starts, runs a batch job
// that sacct then reports COMPLETED with exit code 0:0, stops leaving no process behind, starts
// again afterwards; a start that fails leaves nothing running either.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/process.h"
#include "slurm_cluster.h"

using tandem::ProcessOptions;
using tandem::ProcessResult;
using tandem::run_process;
using tandem::test::SlurmCluster;

namespace {

std::string trimmed(const std::string& text) {
  const auto begin = text.find_first_not_of(" \n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \n") - begin + 1);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The processes (other than zombies) whose command line or environment names `dir`.
std::vector<std::string> processes_naming(const std::filesystem::path& dir) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    for (const char* file : {"cmdline", "environ"}) {
      const std::string text = read_file(entry.path() / file);
      if (text.find(dir.string() + "/") != std::string::npos) {
        found.push_back(pid + " " + read_file(entry.path() / "comm"));
        break;
      }
    }
  }
  return found;
}

// `sacct -j ID -X -n -P -o State,ExitCode` once the job has ended ("" after 60 s): slurmctld
// tells slurmdbd about a job a moment after the fact.
std::string final_accounting(const std::string& job) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::string line;
  while (std::chrono::steady_clock::now() < deadline) {
    const ProcessResult sacct =
        run_process({"sacct", "-j", job, "-X", "-n", "-P", "-o", "State,ExitCode"});
    line = trimmed(sacct.out);
    if (sacct.ok() && !line.empty() && line.rfind("PENDING", 0) != 0 &&
        line.rfind("RUNNING", 0) != 0 && line.rfind("COMPLETING", 0) != 0) {
      return line;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  FAIL("job " << job << " did not end within 60 s; sacct said: " << line);
  return "";
}

}  // namespace

TEST_CASE("t_slurm_cluster: a private Slurm cluster runs a batch job, stops, and starts again", "[slurm]") {
  INFO(SlurmCluster::missing_message());
  REQUIRE(SlurmCluster::available());
  const char* outer_slurm_conf = std::getenv("SLURM_CONF");

  std::filesystem::path first_directory;
  {
    SlurmCluster cluster;
    first_directory = cluster.directory();
    REQUIRE(std::getenv("SLURM_CONF") == cluster.slurm_conf());
    const ProcessResult status = cluster.status();
    INFO(status.out);
    CHECK(status.ok());

    // A child of this process finds the cluster through SLURM_CONF alone.
    const std::filesystem::path output = cluster.directory() / "job.out";
    const ProcessResult sbatch = run_process(
        {"sbatch", "--parsable", "--output", output.string(), "--wrap", "echo hello from slurm"});
    INFO(sbatch.describe() << ": " << sbatch.out << sbatch.err);
    REQUIRE(sbatch.ok());
    const std::string job = trimmed(sbatch.out);
    REQUIRE(job.find_first_not_of("0123456789") == std::string::npos);

    CHECK(final_accounting(job) == "COMPLETED|0:0");
    CHECK(read_file(output) == "hello from slurm\n");

    INFO("log/ of the cluster: " << cluster.directory());
    REQUIRE(cluster.stop());
  }
  // Stopped: nothing of it runs, its directory is gone, SLURM_CONF is what it was.
  CHECK(processes_naming(first_directory).empty());
  CHECK_FALSE(std::filesystem::exists(first_directory));
  CHECK(std::getenv("SLURM_CONF") == outer_slurm_conf);

  // A second cluster after the first: no daemon, port or socket of the first is in its way.
  {
    SlurmCluster cluster;
    const ProcessResult sinfo = run_process({"sinfo", "-h", "-o", "%P %t"});
    INFO(sinfo.describe() << ": " << sinfo.err);
    CHECK(trimmed(sinfo.out) == "debug* idle");
  }

  // A start that fails (no time to wait for MariaDB) stops what it had started.
  const std::filesystem::path failed =
      std::filesystem::temp_directory_path() / ("t_slurm_cluster-failed-" + std::to_string(getpid()));
  std::filesystem::remove_all(failed);
  std::filesystem::create_directories(failed);
  const std::string script = std::string(TANDEM_SOURCE_DIR) + "/tests/slurm/cluster.sh";
  ProcessOptions no_wait;
  no_wait.env = {{"TANDEM_SLURM_START_TIMEOUT", "0"}};
  const ProcessResult start = run_process({"bash", script, "start", failed.string()}, no_wait);
  INFO(start.err);
  CHECK_FALSE(start.ok());
  CHECK(start.err.find("within 0s") != std::string::npos);
  CHECK(processes_naming(failed).empty());
  CHECK(run_process({"bash", script, "stop", failed.string()}).ok());
  std::filesystem::remove_all(failed);
}
