// The study database: every finished trial of a search, its meta data (flow file, hashes,
// version) and the RTL validations of the best candidates, in one SQLite file (`study.db` in
// the output directory). Crash safety is the point: each trial is one committed transaction in
// WAL mode with synchronous=FULL, so killing the process at any moment (kill -9 included)
// leaves every recorded trial intact and the file openable; a resumed search replays the
// recorded trials instead of evaluating them again. Schema and semantics: docs/search.md.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "search/trial.h"

namespace tandem {

namespace sqlite {
class Database;
}

// The RTL co-simulation of one recorded trial's design, against its analytic numbers.
struct ValidationRecord {
  std::int64_t trial = 0;  // TrialRecord::number
  nlohmann::json rtl_metrics;  // the NetworkMetrics JSON of the RTL run, or null
  std::optional<double> rtl_latency_us;
  std::optional<double> rtl_energy_uj;
  std::optional<double> analytic_latency_us;
  std::optional<double> analytic_energy_uj;
  // Stand-alone int8 accuracy of the validated network, when the search ranked by a supernet
  // (`accuracy: {kind: supernet}`): the trial's accuracy is the supernet's estimate.
  std::optional<double> retrained_accuracy;
  bool agree = false;   // cycles equal and outputs bit-exact
  std::string message;  // what disagreed, or why the validation could not run
  std::string finished_at;  // ISO 8601 UTC
};

// One cluster job of a study (execution kind slurm): which work it did, its Slurm id and how it
// ended. Every submission is recorded, so a rerun adopts jobs still running instead of
// submitting them again, and a failure is never silently dropped.
struct JobRecord {
  std::string job_id;      // Slurm's id: "123" or, for an array task, "123_4"
  std::string kind;        // "trial" (an evaluation, trial number in `key`), "supernet", "validation"
  std::int64_t key = 0;    // the trial number, or 0
  int attempt = 1;         // 1 for the first submission of this work
  std::string state;       // Slurm's state (PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED,
                           // NODE_FAIL, OUT_OF_MEMORY, ...) or LOST (unknown to Slurm)
  std::string reason;      // Slurm's reason and exit code, or why tandem did not accept the result
  std::string log_file;    // the job's stdout and stderr
  std::string submitted_at;  // ISO 8601 UTC
  std::string finished_at;   // empty while in flight
  bool result = false;       // its work's result file was there when it ended

  bool in_flight() const { return finished_at.empty(); }
};

// Every field of a record (metrics and accuracy detail included); non-finite numbers as null.
nlohmann::ordered_json to_json(const TrialRecord& trial);
nlohmann::ordered_json to_json(const ValidationRecord& validation);
nlohmann::ordered_json to_json(const JobRecord& job);
// The inverse of to_json(ValidationRecord) (a validation that a cluster job ran). Throws
// std::runtime_error naming the missing or mistyped field.
ValidationRecord validation_from_json(const nlohmann::json& json);
// JSON has no infinities or NaN; objectives of failed trials may be +inf, so they are spelled as
// the strings "inf", "-inf", "nan" and read back exactly (the study database and to_json).
nlohmann::json doubles_to_json(const std::vector<double>& values);
std::vector<double> doubles_from_json(const nlohmann::json& array);
// The inverse of to_json(TrialRecord) (a trial that a cluster job evaluated). Throws
// std::runtime_error naming the missing or mistyped field.
TrialRecord trial_from_json(const nlohmann::json& json);
// Everything a study holds, read at once (study show, reports).
struct StudyContents {
  std::string path;
  std::map<std::string, std::string> meta;
  std::vector<TrialRecord> trials;  // by number
  std::vector<ValidationRecord> validations;  // by trial number
  std::vector<JobRecord> jobs;  // by submission
};

class Study {
 public:
  // Meta keys the study sets itself on creation.
  static constexpr const char* kSchemaVersionKey = "schema_version";  // "1"
  static constexpr const char* kVersionKey = "tandem_version";        // core/version.h
  static constexpr const char* kCreatedAtKey = "created_at";          // ISO 8601 UTC
  // The meta key that must match when a study is resumed.
  static constexpr const char* kFlowHashKey = "flow_hash";

  // An existing study. Throws InputError naming the file for a missing file, a file that is
  // not an SQLite database, or a database that is not a tandem study.
  static Study open(const std::string& path);
  // Creates the study with `meta` (plus the keys above), or resumes the one at `path`. Resuming
  // requires meta["flow_hash"], when given, to equal the stored one; otherwise it throws
  // InputError telling the user to choose another output directory or start afresh (--fresh).
  // Other meta keys of a resumed study keep their stored values.
  static Study create_or_resume(const std::string& path,
                                const std::map<std::string, std::string>& meta);
  // Deletes a study file and its WAL side files (-wal, -shm), for --fresh. No error if absent.
  static void remove(const std::string& path);

  Study(Study&&) noexcept;
  Study& operator=(Study&&) noexcept;
  ~Study();

  const std::string& path() const { return path_; }
  std::map<std::string, std::string> meta() const;
  void set_meta(const std::string& key, const std::string& value);  // insert or replace

  // Records one finished trial in its own transaction; when this returns, the trial is on disk.
  // A number already recorded is an error (std::invalid_argument): a trial is never evaluated
  // twice. NaN in reward or an optional metric reads back as NaN / absent respectively.
  void record(const TrialRecord& trial);
  std::optional<TrialRecord> find(std::int64_t number) const;
  std::vector<TrialRecord> trials() const;  // ascending number
  std::size_t trial_count() const;

  // One validation per recorded trial: an unknown or already validated trial is an error
  // (std::invalid_argument).
  void record_validation(const ValidationRecord& validation);
  std::vector<ValidationRecord> validations() const;  // ascending trial number

  // Inserts a job or updates it (same job_id).
  void record_job(const JobRecord& job);
  std::vector<JobRecord> jobs() const;  // in submission order

  StudyContents contents() const;

 private:
  Study(std::string path, std::unique_ptr<sqlite::Database> db);
  void check_is_study() const;

  std::string path_;
  std::unique_ptr<sqlite::Database> db_;
};

// "2026-11-28T01:02:03Z", now.
std::string utc_timestamp();

}  // namespace tandem
