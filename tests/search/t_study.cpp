// t_study: the study database. Every TrialRecord field survives a round trip; a trial number
// is recorded once; a resume with another flow is refused with a message that says what to do;
// a writer killed with SIGKILL at a random moment leaves every trial it reported committed
// intact and the file consistent; `tandem study show` prints and exports a study.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/input_error.h"
#include "core/version.h"
#include "golden_file.h"
#include "run_process.h"
#include "search/study.h"
#include "synthetic_study.h"

using namespace tandem;
using tandem::test::run_process;
using tandem::test::synthetic_trials;
using tandem::test::tandem_binary;

namespace {

const std::string kOut = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_study";

// A fresh path for one test case's database.
std::string fresh_db(const std::string& name) {
  std::filesystem::create_directories(kOut);
  const std::string path = kOut + "/" + name + ".db";
  Study::remove(path);
  return path;
}

const std::map<std::string, std::string> kMeta = {
    {"flow_hash", "f1a2b3"}, {"flow", "name: demo\nsearch:\n  budget: 8\n"}, {"mode", "joint"},
    {"objective", "accuracy - 0.05 log10(latency_us)"}, {"name", "demo"},
    {"created_at", "2026-11-28T00:00:00Z"}};

// Bitwise-equal doubles (NaN equal to NaN), so a round trip is checked to the last bit.
bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }
bool same(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || same(*a, *b));
}

void check_same(const TrialRecord& got, const TrialRecord& want) {
  INFO("trial " << want.number);
  CHECK(got.number == want.number);
  CHECK(got.batch == want.batch);
  CHECK(got.status == want.status);
  CHECK(got.reason == want.reason);
  CHECK(got.point == want.point);
  CHECK(got.genotype == want.genotype);
  CHECK(got.network == want.network);
  CHECK(got.network_hash == want.network_hash);
  CHECK(got.accelerator == want.accelerator);
  CHECK(config_hash(got.accelerator) == config_hash(want.accelerator));
  CHECK(got.accelerator_hash == want.accelerator_hash);
  CHECK(same(got.accuracy, want.accuracy));
  CHECK(same(got.latency_us, want.latency_us));
  CHECK(same(got.energy_uj, want.energy_uj));
  CHECK(same(got.area_mm2, want.area_mm2));
  CHECK(got.cycles == want.cycles);
  CHECK(got.macs == want.macs);
  CHECK(same(got.reward, want.reward));
  REQUIRE(got.objectives.size() == want.objectives.size());
  for (std::size_t i = 0; i < want.objectives.size(); ++i) CHECK(same(got.objectives[i], want.objectives[i]));
  CHECK(got.fidelity == want.fidelity);
  CHECK(got.metrics == want.metrics);
  CHECK(got.accuracy_detail == want.accuracy_detail);
  CHECK(same(got.seconds_hardware, want.seconds_hardware));
  CHECK(same(got.seconds_accuracy, want.seconds_accuracy));
  CHECK(same(got.seconds_total, want.seconds_total));
  CHECK(got.finished_at == want.finished_at);
}

template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("t_study: every field of a trial survives the round trip", "[study]") {
  const std::string path = fresh_db("round_trip");
  auto trials = synthetic_trials(12);
  // Edge values: every optional absent, non-default accelerator, extreme integers, odd text.
  TrialRecord bare;
  bare.number = 100;
  bare.reason = "quote ' double \" comma , newline \n unicode \xC2\xB5s";
  bare.accelerator.array.dataflow = Dataflow::output_stationary;
  bare.accelerator.array.rows = 8;
  bare.accelerator.clock_mhz = 250;
  bare.reward = std::nan("");
  bare.objectives = {-std::numeric_limits<double>::infinity(), 1e-300, 0.1};
  trials.push_back(bare);
  TrialRecord extreme = trials.front();
  extreme.number = 101;
  extreme.cycles = std::numeric_limits<std::uint64_t>::max();
  extreme.macs = std::numeric_limits<std::int64_t>::min();
  extreme.reward = 0.1 + 0.2;  // not representable in short decimal form
  trials.push_back(extreme);
  {
    Study study = Study::create_or_resume(path, kMeta);
    for (const auto& trial : trials) study.record(trial);
  }
  Study study = Study::open(path);
  const auto stored = study.trials();
  REQUIRE(stored.size() == trials.size());
  for (std::size_t i = 0; i < trials.size(); ++i) check_same(stored[i], trials[i]);
  REQUIRE(study.find(100));
  CHECK_FALSE(study.find(100)->accuracy);
  CHECK_FALSE(study.find(100)->cycles);
  CHECK(study.find(100)->metrics.is_null());
  CHECK_FALSE(study.find(55));
  CHECK(study.trial_count() == trials.size());

  const auto meta = study.meta();
  for (const auto& [key, value] : kMeta) CHECK(meta.at(key) == value);
  CHECK(meta.at("tandem_version") == std::string(tandem::version()));
  CHECK(meta.at("schema_version") == "1");
}

TEST_CASE("t_study: a trial number is recorded once", "[study]") {
  const std::string path = fresh_db("duplicate");
  Study study = Study::create_or_resume(path, kMeta);
  auto trials = synthetic_trials(2);
  study.record(trials[0]);
  trials[1].number = 0;
  CHECK(error_of([&] { study.record(trials[1]); }) ==
        "trial 0 is already recorded in " + path + "; a trial is never evaluated twice");
  CHECK(study.trial_count() == 1);
  check_same(*study.find(0), trials[0]);  // the first record is untouched
}

TEST_CASE("t_study: resume keeps the trials and refuses another flow", "[study]") {
  const std::string path = fresh_db("resume");
  const auto trials = synthetic_trials(3);
  Study::create_or_resume(path, kMeta).record(trials[0]);

  auto same_flow = kMeta;
  same_flow["created_at"] = "2030-01-01T00:00:00Z";
  Study resumed = Study::create_or_resume(path, same_flow);
  CHECK(resumed.trial_count() == 1);
  CHECK(resumed.meta().at("created_at") == "2026-11-28T00:00:00Z");  // stored meta wins
  resumed.record(trials[1]);

  auto other_flow = kMeta;
  other_flow["flow_hash"] = "99999";
  CHECK(error_of([&] { Study::create_or_resume(path, other_flow); }) ==
        path + ": error: flow_hash: this study was made by a different flow (stored flow hash "
               "f1a2b3, this flow 99999); resuming would mix two searches. Choose another output "
               "directory, or start afresh with --fresh (deletes this study)");
  CHECK(Study::open(path).trial_count() == 2);

  Study::remove(path);
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK(Study::create_or_resume(path, other_flow).trial_count() == 0);
}

TEST_CASE("t_study: files that are not studies get a clear error", "[study]") {
  std::filesystem::create_directories(kOut);
  const std::string missing = kOut + "/no_such.db";
  CHECK(error_of([&] { Study::open(missing); }) ==
        missing + ": error: no such study database (expected the study.db of a `tandem search` "
                  "output directory)");
  const std::string text = kOut + "/not_sqlite.db";
  std::ofstream(text) << "accelerator:\n  array: { rows: 8 }\n";
  CHECK(error_of([&] { Study::open(text); }) ==
        text + ": error: not a tandem study database (file is not a database); expected the "
               "study.db that `tandem search` writes into its output directory");
  const std::string other = fresh_db("other_sqlite");
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(other.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  CHECK(error_of([&] { Study::open(other); }) ==
        other + ": error: not a tandem study database (it has no study, trials and validations "
                "tables); expected the study.db that `tandem search` writes into its output "
                "directory");
  CHECK(error_of([&] { Study::create_or_resume(other, kMeta); }) == error_of([&] { Study::open(other); }));
}

TEST_CASE("t_study: validations round trip, once per recorded trial", "[study]") {
  const std::string path = fresh_db("validations");
  Study study = Study::create_or_resume(path, kMeta);
  const auto trials = synthetic_trials(3);
  for (const auto& trial : trials) study.record(trial);
  ValidationRecord v;
  v.trial = 1;
  v.rtl_metrics = trials[1].metrics;
  v.rtl_latency_us = 123.25;
  v.analytic_latency_us = 123.25;
  v.rtl_energy_uj = 4.5;
  v.agree = true;
  v.message = "cycles equal, outputs bit-exact";
  v.finished_at = "2026-11-28T02:00:00Z";
  study.record_validation(v);
  ValidationRecord unknown = v;
  unknown.trial = 42;
  CHECK(error_of([&] { study.record_validation(unknown); }) ==
        "cannot record a validation of trial 42: no such trial in " + path);
  CHECK(error_of([&] { study.record_validation(v); }) == "trial 1 is already validated in " + path);
  const auto stored = Study::open(path).validations();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].trial == 1);
  CHECK(stored[0].rtl_metrics == v.rtl_metrics);
  CHECK(stored[0].rtl_latency_us == v.rtl_latency_us);
  CHECK(stored[0].analytic_latency_us == v.analytic_latency_us);
  CHECK(stored[0].rtl_energy_uj == v.rtl_energy_uj);
  CHECK_FALSE(stored[0].analytic_energy_uj);
  CHECK(stored[0].agree);
  CHECK(stored[0].message == v.message);
  CHECK(stored[0].finished_at == v.finished_at);
}

namespace {

// The child: records trials 0, 1, 2, ... as fast as it can and writes each number to the pipe
// once record() has returned. Never returns.
[[noreturn]] void record_until_killed(const std::string& path, int report_fd) {
  try {
    Study study = Study::create_or_resume(path, kMeta);
    const auto templates = synthetic_trials(16);
    for (std::int64_t n = static_cast<std::int64_t>(study.trial_count());; ++n) {
      TrialRecord trial = templates[static_cast<std::size_t>(n % 16)];
      trial.number = n;
      study.record(trial);
      if (::write(report_fd, &n, sizeof n) != static_cast<ssize_t>(sizeof n)) ::_exit(3);
    }
  } catch (...) {
    ::_exit(2);
  }
}

std::string integrity_of(const std::string& path) {
  sqlite3* db = nullptr;
  std::string result = "cannot open";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr);
    result.clear();
    while (statement && sqlite3_step(statement) == SQLITE_ROW) {
      result += reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return result;
}

}  // namespace

TEST_CASE("t_study: kill -9 at any moment keeps every reported trial and a sound file", "[study][crash]") {
  const std::string path = fresh_db("killed");
  const auto templates = synthetic_trials(16);
  std::mt19937_64 rng(11);
  std::vector<std::int64_t> reported;
  // Several rounds on the same file: each kills the writer at a random moment (mid-commit
  // likely: the writer does nothing else) and the next round resumes the survivor.
  for (int round = 0; round < 4; ++round) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      ::close(fds[0]);
      record_until_killed(path, fds[1]);
    }
    ::close(fds[1]);
    const std::size_t before = reported.size();
    const std::size_t wanted = 5 + rng() % 20;
    std::int64_t number = 0;
    while (reported.size() - before < wanted && ::read(fds[0], &number, sizeof number) == sizeof number) {
      reported.push_back(number);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
    REQUIRE(::kill(child, SIGKILL) == 0);
    while (::read(fds[0], &number, sizeof number) == sizeof number) reported.push_back(number);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    INFO("round " << round);
    REQUIRE(WIFSIGNALED(status));  // killed, not exited on an error
    REQUIRE(reported.size() - before >= wanted);

    CHECK(integrity_of(path) == "ok");
    Study study = Study::open(path);
    const auto stored = study.trials();
    // Every reported trial is there and intact; at most one more (committed, not yet reported).
    REQUIRE(stored.size() >= reported.size());
    CHECK(stored.size() <= reported.size() + 1);
    for (std::size_t i = 0; i < stored.size(); ++i) {
      TrialRecord want = templates[i % 16];
      want.number = static_cast<std::int64_t>(i);
      check_same(stored[i], want);
    }
    for (std::size_t i = 0; i < reported.size(); ++i) CHECK(reported[i] == static_cast<std::int64_t>(i));
    reported.resize(stored.size());  // an unreported commit counts from here on
    for (std::size_t i = 0; i < reported.size(); ++i) reported[i] = static_cast<std::int64_t>(i);
  }
  CHECK(reported.size() >= 20);
}

TEST_CASE("t_study: tandem study show prints a study and exports it as JSON", "[study][cli]") {
  const std::string dir = kOut + "/show";
  const std::string path = dir + "/study.db";
  std::filesystem::create_directories(dir);
  Study::remove(path);
  {
    Study study = Study::create_or_resume(path, kMeta);
    for (const auto& trial : synthetic_trials(8)) study.record(trial);
  }
  auto shown = run_process(tandem_binary() + " study show " + dir);
  INFO(shown.err);
  REQUIRE(shown.exit_code == 0);
  // The golden output with the machine-dependent parts (path, version) replaced.
  std::string text = shown.out;
  auto replace = [&](const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  };
  replace(path, "STUDY");
  replace(std::string(tandem::version()), "VERSION");
  tandem::test::check_golden("tests/search/data/study_show.txt", text);

  auto json_run = run_process(tandem_binary() + " study show --json " + path);
  REQUIRE(json_run.exit_code == 0);
  const auto json = nlohmann::json::parse(json_run.out);
  CHECK(json["meta"]["flow_hash"] == "f1a2b3");
  REQUIRE(json["trials"].size() == 8);
  CHECK(json["trials"][3]["accelerator"]["array"]["rows"].is_number_integer());
  CHECK(json["trials"][3]["metrics"]["layers"].size() > 0);
  CHECK(json["pareto"]["accuracy_vs_latency_us"]["members"].size() > 0);
  CHECK(json["best_trial"].is_number_integer());

  auto missing = run_process(tandem_binary() + " study show " + kOut + "/nowhere");
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == kOut + "/nowhere: error: no such study database (expected the study.db of "
                              "a `tandem search` output directory)\n");
}

TEST_CASE("t_study: a row damaged by hand names the file, the trial and the field", "[study]") {
  const std::string path = fresh_db("damaged");
  {
    Study study = Study::create_or_resume(path, kMeta);
    for (const auto& trial : synthetic_trials(3)) study.record(trial);
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "UPDATE trials SET accelerator = '{\"array\": {\"rows\": 8}}' WHERE number = 1",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  Study study = Study::open(path);
  CHECK(study.find(0));
  CHECK(error_of([&] { study.find(1); }) ==
        path + ": trial 1 cannot be read: accelerator.array.cols: missing");
  CHECK(error_of([&] { study.trials(); }) == error_of([&] { study.find(1); }));
}

TEST_CASE("t_study: a trial's JSON (a cluster job's result) reads back as the same trial", "[study]") {
  for (const TrialRecord& trial : synthetic_trials(12)) {
    check_same(trial_from_json(nlohmann::json::parse(to_json(trial).dump())), trial);
  }
  nlohmann::json broken = to_json(synthetic_trials(1).front());
  broken.erase("accelerator_hash");
  CHECK_THAT(error_of([&] { trial_from_json(broken); }), Catch::Contains("accelerator_hash"));
}

TEST_CASE("t_study: cluster jobs are recorded, updated in place and listed in submission order", "[study]") {
  const std::string path = fresh_db("jobs");
  {
    Study study = Study::create_or_resume(path, kMeta);
    study.record_job({"41_0", "trial", 0, 1, "PENDING", "", "/logs/slurm-41_0.log", "2026-12-07T00:00:00Z", ""});
    study.record_job({"41_1", "trial", 1, 1, "PENDING", "", "/logs/slurm-41_1.log", "2026-12-07T00:00:00Z", ""});
    study.record_job({"41_0", "trial", 0, 1, "TIMEOUT", "exit 0:15", "/logs/slurm-41_0.log", "2026-12-07T00:00:00Z",
                      "2026-12-07T00:01:00Z"});
    study.record_job({"45_0", "trial", 0, 2, "RUNNING", "", "/logs/slurm-45_0.log", "2026-12-07T00:01:05Z", ""});
  }
  const std::vector<JobRecord> jobs = Study::open(path).contents().jobs;
  REQUIRE(jobs.size() == 3);
  CHECK(jobs[0].job_id == "41_0");
  CHECK(jobs[0].state == "TIMEOUT");
  CHECK(jobs[0].reason == "exit 0:15");
  CHECK_FALSE(jobs[0].in_flight());
  CHECK(jobs[1].job_id == "41_1");
  CHECK(jobs[1].in_flight());
  CHECK(jobs[2].attempt == 2);
  CHECK(jobs[2].key == 0);
}

TEST_CASE("t_study: a study made before cluster execution gets its jobs table on resume", "[study]") {
  const std::string path = fresh_db("no_jobs_table");
  { Study::create_or_resume(path, kMeta); }
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "DROP TABLE jobs", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  CHECK(Study::open(path).jobs().empty());  // read as it is
  Study study = Study::create_or_resume(path, kMeta);
  study.record_job({"7_3", "trial", 3, 1, "PENDING", "", "", "2026-12-07T00:00:00Z", ""});
  CHECK(study.jobs().size() == 1);
}
