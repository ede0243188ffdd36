// The search loop end to end through the `tandem` binary, with a stand-in accuracy command so
// that it runs in seconds: every mode, determinism, and resume after kill -9 of a real search
// process (no finished trial lost or evaluated twice, same study as an uninterrupted run).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "fake_search.h"
#include "run_process.h"
#include "core/accelerator_yaml.h"
#include "core/files.h"
#include "search/study.h"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

const fs::path kOut = fs::path(TANDEM_TEST_OUTPUT_DIR) / "t_search_loop";

std::string write_flow(const std::string& name, const std::string& mode, int trials, const std::string& strategy,
                       double delay_seconds = 0, const std::string& extra = "") {
  return test::write_fake_search_flow(kOut, name, mode, trials, strategy, delay_seconds, extra);
}

// `cache`: the accuracy cache's folder below kOut; a test that needs its evaluations to take their
// delay (not come from an earlier run's cache) has one of its own and empties it.
std::string search_command(const std::string& flow, const std::string& cache = "cache") {
  return test::tandem_binary() + " search --quiet --cache-dir " + (kOut / cache).string() + " " + flow;
}

std::string study_of(const std::string& flow) { return test::fake_search_study(flow); }

std::vector<std::string> outcomes(const std::string& study) { return test::study_outcomes(study); }

}  // namespace

TEST_CASE("t_search_loop: every mode runs its budget and records every trial", "[search]") {
  for (const std::string mode : {"joint", "hardware_only", "network_only", "phased"}) {
    SECTION(mode) {
      const std::string flow = write_flow("mode_" + mode, mode, 8, "evolution");
      const auto result = test::run_process(search_command(flow));
      INFO(result.out << result.err);
      REQUIRE(result.exit_code == 0);
      CHECK_THAT(result.out, Catch::Contains("8 trials (8 evaluated now, 0 resumed)"));
      const auto trials = Study::open(study_of(flow)).trials();
      REQUIRE(trials.size() == 8);
      std::size_t ok = 0;
      for (const TrialRecord& t : trials) {
        ok += t.status == TrialStatus::ok;
        if (mode == "hardware_only") CHECK(t.genotype.empty());
        if (mode == "network_only") CHECK(t.accelerator.array.rows == 8);
        // Area bounds are part of the hardware space: no trial is spent on a larger design.
        if (mode != "network_only" && t.area_mm2) CHECK(*t.area_mm2 <= 1.5);
        if (mode != "hardware_only") CHECK(t.genotype.size() == 30);
      }
      CHECK(ok > 0);
      if (mode == "phased") {
        // The hardware half searches hardware for the network half's winner.
        for (std::size_t n = 4; n < 8; ++n) CHECK(trials[n].genotype == trials[4].genotype);
        for (std::size_t n = 0; n < 4; ++n) CHECK(trials[n].accelerator.array.rows == 8);
      }
      CHECK(fs::exists(fs::path(flow).parent_path() / "out" / "report" / "index.html"));
    }
  }
}

TEST_CASE("t_search_loop: the same flow and seed give the same study", "[search]") {
  const std::string a = write_flow("same_a", "joint", 6, "controller");
  const std::string b = write_flow("same_b", "joint", 6, "controller");
  REQUIRE(test::run_process(search_command(a)).exit_code == 0);
  REQUIRE(test::run_process(search_command(b)).exit_code == 0);
  CHECK(outcomes(study_of(a)) == outcomes(study_of(b)));
  // Rerunning a finished study evaluates nothing.
  const auto again = test::run_process(search_command(a));
  CHECK_THAT(again.out, Catch::Contains("6 trials (0 evaluated now, 6 resumed)"));
}

TEST_CASE("t_search_loop: kill -9 in the middle of a search loses no finished trial", "[search]") {
  const int trials = 10;
  const std::string reference = write_flow("kill_reference", "joint", trials, "evolution");
  REQUIRE(test::run_process(search_command(reference)).exit_code == 0);

  const std::string flow = write_flow("kill", "joint", trials, "evolution", 0.3);
  fs::remove_all(kOut / "kill-cache");
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // exec: the child process is the search itself, so SIGKILL hits it and nothing else.
    ::execl("/bin/sh", "sh", "-c", ("exec " + search_command(flow, "kill-cache") + " >/dev/null 2>&1").c_str(),
            nullptr);
    ::_exit(127);
  }
  // Kill it once a few trials are in, while others are being evaluated.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  std::size_t before = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(study_of(flow))) {
      try {
        before = Study::open(study_of(flow)).trial_count();
      } catch (const std::exception&) {
      }
    }
    if (before >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(before >= 3);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  const std::size_t after_kill = Study::open(study_of(flow)).trial_count();
  REQUIRE(after_kill >= before);
  REQUIRE(after_kill < static_cast<std::size_t>(trials));

  const auto resumed = test::run_process(search_command(flow, "kill-cache"));
  INFO(resumed.out << resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK_THAT(resumed.out, Catch::Contains(std::to_string(trials) + " trials (" +
                                          std::to_string(trials - after_kill) + " evaluated now, " +
                                          std::to_string(after_kill) + " resumed)"));
  CHECK(outcomes(study_of(flow)) == outcomes(study_of(reference)));
}

TEST_CASE("t_search_loop: a study made by another flow is not resumed", "[search]") {
  const std::string flow = write_flow("changed", "joint", 2, "random");
  REQUIRE(test::run_process(search_command(flow)).exit_code == 0);
  std::ofstream(flow, std::ios::app) << "# a comment does not change the flow\n";
  CHECK(test::run_process(search_command(flow)).exit_code == 0);
  std::string text = tandem::read_file(flow);
  text.replace(text.find("trials: 2"), 9, "trials: 3");
  std::ofstream(flow) << text;
  const auto changed = test::run_process(search_command(flow));
  CHECK(changed.exit_code == 1);
  CHECK_THAT(changed.err, Catch::Contains("flow"));
}

TEST_CASE("t_search_loop: tandem evaluate in another process gives the worker's trial", "[search]") {
  const std::string flow = write_flow("evaluate", "joint", 4, "random");
  REQUIRE(test::run_process(search_command(flow)).exit_code == 0);
  const auto trials = Study::open(study_of(flow)).trials();
  const auto ok = std::find_if(trials.begin(), trials.end(), [](const TrialRecord& t) { return t.status == TrialStatus::ok; });
  REQUIRE(ok != trials.end());
  const TrialRecord trial = *ok;
  const std::string accel = (fs::path(flow).parent_path() / "accel.yaml").string();
  std::ofstream(accel) << accelerator_to_yaml(trial.accelerator);
  std::string genotype;
  for (int gene : trial.genotype) genotype += (genotype.empty() ? "" : ",") + std::to_string(gene);
  const auto result = test::run_process(test::tandem_binary() + " evaluate " + flow + " --cache-dir " +
                                        (kOut / "cache").string() + " --genotype " + genotype + " --accel " + accel);
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  const auto json = nlohmann::json::parse(result.out);
  CHECK(json["status"] == trial_status_name(trial.status));
  CHECK(json["network_hash"] == trial.network_hash);
  CHECK(json["accelerator_hash"] == trial.accelerator_hash);
  CHECK(json["cycles"] == *trial.cycles);
  CHECK(json["accuracy"].get<double>() == *trial.accuracy);
  CHECK(json["energy_uj"].get<double>() == Approx(*trial.energy_uj).epsilon(1e-12));

  const auto bad = test::run_process(test::tandem_binary() + " evaluate " + flow + " --genotype 9,9");
  CHECK(bad.exit_code != 0);
  CHECK_THAT(bad.err, Catch::Contains("--genotype"));
}

TEST_CASE("t_search_loop: tandem compare tabulates studies side by side", "[search]") {
  const std::string a = write_flow("compare_joint", "joint", 4, "random");
  const std::string b = write_flow("compare_network", "network_only", 4, "random");
  REQUIRE(test::run_process(search_command(a)).exit_code == 0);
  REQUIRE(test::run_process(search_command(b)).exit_code == 0);
  const auto result = test::run_process(test::tandem_binary() + " compare --markdown --equal-accuracy 0.5 " +
                                        fs::path(a).parent_path().string() + "/out " +
                                        fs::path(b).parent_path().string() + "/out");
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("| compare_joint | joint | random |"));
  CHECK_THAT(result.out, Catch::Contains("| compare_network | network_only | random |"));
  CHECK_THAT(result.out, Catch::Contains("HV acc-latency"));
  CHECK_THAT(result.out, Catch::Contains("min energy uJ at acc >= 0.5"));
}

TEST_CASE("t_search_loop: tandem compare --by-seed gives one row per experiment over its seeds", "[search]") {
  std::vector<std::string> outs;
  for (const char* seed : {"1", "2"}) {
    const std::string flow = write_flow(std::string("byseed-s") + seed, "joint", 4, "random");
    std::string text = tandem::read_file(flow);
    text.replace(text.find("seed: 3"), 7, std::string("seed: ") + seed);
    std::ofstream(flow) << text;
    REQUIRE(test::run_process(search_command(flow)).exit_code == 0);
    outs.push_back(fs::path(flow).parent_path().string() + "/out");
  }
  const std::string other = write_flow("byseed_network-s1", "network_only", 4, "random");
  REQUIRE(test::run_process(search_command(other)).exit_code == 0);
  outs.push_back(fs::path(other).parent_path().string() + "/out");
  const auto result = test::run_process(test::tandem_binary() + " compare --markdown --by-seed --target-reward 0 " +
                                        "--latency-limit 0 " + outs[0] + " " + outs[1] + " " + outs[2]);
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("| byseed | joint | random | 2 | "));
  CHECK_THAT(result.out, Catch::Contains("| byseed_network | network_only | random | 1 | "));
  CHECK_THAT(result.out, Catch::Contains("trials to reward >= 0"));
  CHECK_THAT(result.out, Catch::Contains("of 2 reached)"));
  // Every winner is over a 0 us limit: "K of K" in the last column of both rows.
  CHECK_THAT(result.out, Catch::Matches(R"([\s\S]*\| byseed \|.*\| (\d) of \1 \|\n[\s\S]*)"));
  CHECK_THAT(result.out, Catch::Contains("mean ± sample standard deviation"));
}

TEST_CASE("t_search_loop: an interrupted search leaves no accuracy command running", "[search]") {
  // Slow accuracy commands (31 s each, a delay no other test uses): interrupt the search while
  // they run.
  const std::string flow = write_flow("interrupt", "joint", 4, "random", 31);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::execl("/bin/sh", "sh", "-c", ("exec " + search_command(flow) + " >/dev/null 2>&1").c_str(), nullptr);
    ::_exit(127);
  }
  const auto running = [] { return test::run_process("pgrep -f 'fake_accuracy.sh .* 31$'").exit_code == 0; };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && !running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(running());
  ::kill(child, SIGINT);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(WIFSIGNALED(status));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK_FALSE(running());
}

TEST_CASE("t_search_loop: a second search of a running study refuses", "[search]") {
  // Every trial measures its accuracy (no latency bound, a cache of its own): 2 s each.
  const std::string flow =
      test::write_fake_search_flow(kOut, "locked", "network_only", 4, "random", 2, "", "{ area: { max: 1.5 } }");
  const std::string command = test::tandem_binary() + " search --quiet --cache-dir " +
                              (kOut / "locked" / "cache").string() + " " + flow;
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::execl("/bin/sh", "sh", "-c", ("exec " + command + " >/dev/null 2>&1").c_str(), nullptr);
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && !fs::exists(study_of(flow) + ".lock")) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto second = test::run_process(command);
  int status = 0;
  ::waitpid(child, &status, 0);
  INFO(second.out << second.err);
  CHECK(second.exit_code == 1);
  CHECK_THAT(second.err, Catch::Contains("another tandem search is running this study (pid " + std::to_string(child)));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(Study::open(study_of(flow)).trial_count() == 4);  // the first search was not disturbed
}
