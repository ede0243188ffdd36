// A private, single-node Slurm cluster on localhost for the lifetime of one object: the tests of
// execution: {kind: slurm} submit real jobs to it. tests/slurm/cluster.sh does the work (munged,
// MariaDB, slurmdbd, slurmctld, slurmd, every file in one directory, free ports); this class
// starts it, points SLURM_CONF at it in this process's environment, so that sbatch, squeue,
// sacct and scancel run by the code under test reach it, and stops it again.
//
//   tandem::test::SlurmCluster cluster;   // throws, with the daemons' log tails, if it fails
//   ... run code that calls sbatch ...
//   // the destructor stops every daemon and job, and restores SLURM_CONF
#pragma once

#include <stdlib.h>  // mkdtemp, setenv, unsetenv
#include <unistd.h>  // gethostname

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "core/process.h"

namespace tandem::test {

class SlurmCluster {
 public:
  // Whether every program cluster.sh needs is installed. Tests should not skip when it is not
  // (scripts/install-deps.sh installs them): they fail with missing_message().
  static bool available() { return missing_programs().empty(); }

  // The programs that are missing, as "munged slurmctld ...", empty when none is.
  static std::string missing_programs() {
    std::string missing;
    for (const char* program : {"munged", "mungekey", "mariadbd", "mariadb-install-db",
                                "mariadb", "slurmdbd", "slurmctld", "slurmd", "sacctmgr",
                                "sbatch", "squeue", "sacct", "scancel", "scontrol", "sinfo"}) {
      if (!installed(program)) missing += (missing.empty() ? "" : " ") + std::string(program);
    }
    return missing;
  }

  static std::string missing_message() {
    return "the Slurm cluster for the tests needs programs that are not installed (" +
           missing_programs() + "): run scripts/install-deps.sh";
  }

  // Starts the cluster in a fresh directory below TANDEM_TEST_OUTPUT_DIR (or /tmp, when that
  // path is too long for the daemons' Unix sockets) and sets SLURM_CONF.
  SlurmCluster() {
    if (!available()) throw std::runtime_error(missing_message());
    directory_ = make_directory();
    const ProcessResult started = script("start");
    if (!started.ok()) {
      // cluster.sh stops what it started when it fails; stop again all the same, and keep the
      // directory: its log/ says why.
      script("stop");
      throw std::runtime_error("could not start the Slurm cluster in " + directory_.string() +
                               " (" + started.describe() + "):\n" + started.out);
    }
    if (const char* previous = std::getenv("SLURM_CONF")) previous_slurm_conf_ = previous;
    setenv("SLURM_CONF", slurm_conf().c_str(), 1);
  }

  ~SlurmCluster() { stop(); }

  SlurmCluster(const SlurmCluster&) = delete;
  SlurmCluster& operator=(const SlurmCluster&) = delete;

  // Stops every daemon and job of the cluster, restores SLURM_CONF and removes the directory
  // (kept when stopping failed, or when TANDEM_KEEP_SLURM_CLUSTER is set). Idempotent; true
  // when nothing of the cluster is left running.
  bool stop() {
    if (stopped_) return stop_ok_;
    stopped_ = true;
    const ProcessResult result = script("stop");
    stop_ok_ = result.ok();
    if (previous_slurm_conf_) {
      setenv("SLURM_CONF", previous_slurm_conf_->c_str(), 1);
    } else {
      unsetenv("SLURM_CONF");
    }
    if (!stop_ok_) {
      std::fprintf(stderr, "SlurmCluster: stopping the cluster in %s failed (%s):\n%s\n",
                   directory_.c_str(), result.describe().c_str(), result.out.c_str());
    } else if (!std::getenv("TANDEM_KEEP_SLURM_CLUSTER")) {
      std::error_code ignored;
      std::filesystem::remove_all(directory_, ignored);
    }
    return stop_ok_;
  }

  // The cluster's directory: its logs are in log/.
  const std::filesystem::path& directory() const { return directory_; }
  // What SLURM_CONF is set to while the cluster runs.
  std::string slurm_conf() const { return (directory_ / "slurm.conf").string(); }
  // `cluster.sh status`: one line per daemon; ok() when all of them run.
  ProcessResult status() const { return script("status"); }

 private:
  static bool installed(const std::string& program) {
    // The daemons are in /usr/sbin, which a test's PATH may lack (cluster.sh adds it).
    return !find_program(program).empty() ||
           std::filesystem::exists(std::filesystem::path("/usr/sbin") / program);
  }

  static std::filesystem::path make_directory() {
    // The daemons' Unix sockets must fit in 107 bytes; the longest, slurmstepd's, is
    // DIR/spool/<host>_<job>.<step> (cluster.sh checks the same). DIR is parent/cluster-XXXXXX.
    std::filesystem::path parent = std::filesystem::path(TANDEM_TEST_OUTPUT_DIR) / "slurm";
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    const std::size_t host_length = std::string(host).find('.') == std::string::npos
                                        ? std::string(host).size()
                                        : std::string(host).find('.');
    if (parent.string().size() + 15 + 7 + host_length + 22 > 107) {
      parent = std::filesystem::temp_directory_path();
    }
    std::filesystem::create_directories(parent);
    std::string pattern = (parent / "cluster-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (mkdtemp(buffer.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    return std::filesystem::path(buffer.data());
  }

  ProcessResult script(const std::string& command) const {
    ProcessOptions options;
    options.stderr_to_stdout = true;
    options.timeout_seconds = 180;  // start waits 60 s at most for each daemon
    return run_process({"bash", std::string(TANDEM_SOURCE_DIR) + "/tests/slurm/cluster.sh",
                        command, directory_.string()},
                       options);
  }

  std::filesystem::path directory_;
  std::optional<std::string> previous_slurm_conf_;
  bool stopped_ = false;
  bool stop_ok_ = false;
};

}  // namespace tandem::test
