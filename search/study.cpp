#include "search/study.h"

#include <cmath>
#include <ctime>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include "core/accelerator_yaml.h"
#include "core/input_error.h"
#include "core/version.h"
#include "search/sqlite_db.h"

namespace tandem {

using sqlite::Database;
using sqlite::SqliteError;
using sqlite::Statement;
using sqlite::Transaction;
using Json = nlohmann::json;

namespace {

constexpr const char* kSchemaVersion = "1";

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS study (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS trials (
  number INTEGER PRIMARY KEY,
  batch INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'rejected', 'failed')),
  reason TEXT NOT NULL,
  network TEXT NOT NULL,
  network_hash TEXT NOT NULL,
  accelerator_hash TEXT NOT NULL,
  accuracy REAL, latency_us REAL, energy_uj REAL, area_mm2 REAL, cycles INTEGER, macs INTEGER,
  reward REAL,
  fidelity TEXT NOT NULL,
  seconds_hardware REAL, seconds_accuracy REAL, seconds_total REAL,
  finished_at TEXT NOT NULL,
  point TEXT NOT NULL,
  genotype TEXT NOT NULL,
  accelerator TEXT NOT NULL,
  objectives TEXT NOT NULL,
  metrics TEXT,
  accuracy_detail TEXT
);
CREATE TABLE IF NOT EXISTS validations (
  trial INTEGER PRIMARY KEY REFERENCES trials (number),
  rtl_metrics TEXT,
  rtl_latency_us REAL, rtl_energy_uj REAL, analytic_latency_us REAL, analytic_energy_uj REAL,
  agree INTEGER NOT NULL,
  message TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  retrained_accuracy REAL
);
CREATE TABLE IF NOT EXISTS jobs (
  job_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  key INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  log_file TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  result INTEGER NOT NULL
);
)sql";

// Added after schema version 1 was released (cluster execution); studies made before lack it.
constexpr const char* kJobsTable = "jobs";
constexpr const char* kJobColumns =
    "job_id, kind, key, attempt, state, reason, log_file, submitted_at, finished_at, result";

// Added after schema version 1 was released; studies made before lack it (see
// add_missing_columns). NULL where the search did not rank by a supernet.
constexpr const char* kRetrainedColumn = "retrained_accuracy";

// Column order shared by the INSERT and the SELECT; write_trial/read_trial follow it.
constexpr const char* kTrialColumns =
    "number, batch, status, reason, network, network_hash, accelerator_hash, accuracy, "
    "latency_us, energy_uj, area_mm2, cycles, macs, reward, fidelity, seconds_hardware, "
    "seconds_accuracy, seconds_total, finished_at, point, genotype, accelerator, objectives, "
    "metrics, accuracy_detail";
constexpr int kTrialColumnCount = 25;

constexpr const char* kValidationColumns =
    "trial, rtl_metrics, rtl_latency_us, rtl_energy_uj, analytic_latency_us, analytic_energy_uj, "
    "agree, message, finished_at, retrained_accuracy";
constexpr int kValidationColumnCount = 10;

std::string placeholders(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += i == 0 ? "?" : ", ?";
  return text;
}

// JSON text that never throws on odd strings (a reason with invalid UTF-8 stays readable).
template <typename AnyJson>
std::string dump(const AnyJson& json) {
  return json.dump(-1, ' ', false, AnyJson::error_handler_t::replace);
}

void bind_next_json_or_null(Statement& statement, const Json& json) {
  if (json.is_null()) statement.bind_next_null();
  else statement.bind_next(dump(json));
}

Json json_or_null(const Statement& row, int column) {
  return row.is_null(column) ? Json() : Json::parse(row.text(column));
}

// SQLite stores NaN as NULL; a required double reads NULL back as NaN.
double real_or_nan(const Statement& row, int column) {
  return row.is_null(column) ? std::numeric_limits<double>::quiet_NaN() : row.real(column);
}

std::optional<double> finite_or_absent(std::optional<double> value) {
  return value && std::isnan(*value) ? std::nullopt : value;
}

void write_trial(Statement& insert, const TrialRecord& t) {
  insert.bind_next(t.number).bind_next(t.batch).bind_next(std::string(trial_status_name(t.status)));
  insert.bind_next(t.reason).bind_next(t.network).bind_next(t.network_hash);
  insert.bind_next(t.accelerator_hash);
  insert.bind_next(finite_or_absent(t.accuracy)).bind_next(finite_or_absent(t.latency_us));
  insert.bind_next(finite_or_absent(t.energy_uj)).bind_next(finite_or_absent(t.area_mm2));
  // uint64 cycles travel as their int64 bit pattern: exact both ways.
  insert.bind_next(t.cycles ? std::optional<std::int64_t>(static_cast<std::int64_t>(*t.cycles))
                            : std::nullopt);
  insert.bind_next(t.macs ? std::optional<std::int64_t>(*t.macs) : std::nullopt);
  insert.bind_next(t.reward).bind_next(t.fidelity);
  insert.bind_next(t.seconds_hardware).bind_next(t.seconds_accuracy).bind_next(t.seconds_total);
  insert.bind_next(t.finished_at);
  insert.bind_next(dump(Json(t.point))).bind_next(dump(Json(t.genotype)));
  insert.bind_next(dump(accelerator_to_json(t.accelerator)));
  insert.bind_next(dump(doubles_to_json(t.objectives)));
  bind_next_json_or_null(insert, t.metrics);
  bind_next_json_or_null(insert, t.accuracy_detail);
}

TrialRecord read_trial(const Statement& row) {
  TrialRecord t;
  int i = 0;
  t.number = row.integer(i++);
  t.batch = row.integer(i++);
  const std::string status = row.text(i++);
  const auto parsed = parse_trial_status(status);
  if (!parsed) {
    throw std::runtime_error("unknown status '" + status + "'");
  }
  t.status = *parsed;
  t.reason = row.text(i++);
  t.network = row.text(i++);
  t.network_hash = row.text(i++);
  t.accelerator_hash = row.text(i++);
  t.accuracy = row.optional_real(i++);
  t.latency_us = row.optional_real(i++);
  t.energy_uj = row.optional_real(i++);
  t.area_mm2 = row.optional_real(i++);
  if (auto cycles = row.optional_integer(i++)) t.cycles = static_cast<std::uint64_t>(*cycles);
  t.macs = row.optional_integer(i++);
  t.reward = real_or_nan(row, i++);
  t.fidelity = row.text(i++);
  t.seconds_hardware = real_or_nan(row, i++);
  t.seconds_accuracy = real_or_nan(row, i++);
  t.seconds_total = real_or_nan(row, i++);
  t.finished_at = row.text(i++);
  t.point = Json::parse(row.text(i++)).get<Point>();
  t.genotype = Json::parse(row.text(i++)).get<Genotype>();
  t.accelerator = accelerator_from_json(Json::parse(row.text(i++)));
  t.objectives = doubles_from_json(Json::parse(row.text(i++)));
  t.metrics = json_or_null(row, i++);
  t.accuracy_detail = json_or_null(row, i++);
  return t;
}

// A row someone edited by hand (bad JSON, unknown status) names the file and the trial.
TrialRecord read_stored_trial(const Statement& row, const std::string& path) {
  try {
    return read_trial(row);
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": trial " + std::to_string(row.integer(0)) +
                             " cannot be read: " + e.what());
  }
}

void write_validation(Statement& insert, const ValidationRecord& v) {
  insert.bind_next(v.trial);
  bind_next_json_or_null(insert, v.rtl_metrics);
  insert.bind_next(finite_or_absent(v.rtl_latency_us)).bind_next(finite_or_absent(v.rtl_energy_uj));
  insert.bind_next(finite_or_absent(v.analytic_latency_us));
  insert.bind_next(finite_or_absent(v.analytic_energy_uj));
  insert.bind_next(std::int64_t{v.agree ? 1 : 0}).bind_next(v.message).bind_next(v.finished_at);
  insert.bind_next(finite_or_absent(v.retrained_accuracy));
}

ValidationRecord read_validation(const Statement& row) {
  ValidationRecord v;
  int i = 0;
  v.trial = row.integer(i++);
  v.rtl_metrics = json_or_null(row, i++);
  v.rtl_latency_us = row.optional_real(i++);
  v.rtl_energy_uj = row.optional_real(i++);
  v.analytic_latency_us = row.optional_real(i++);
  v.analytic_energy_uj = row.optional_real(i++);
  v.agree = row.integer(i++) != 0;
  v.message = row.text(i++);
  v.finished_at = row.text(i++);
  v.retrained_accuracy = row.optional_real(i++);
  return v;
}

bool has_column(Database& db, const std::string& table, const std::string& column) {
  auto columns = db.prepare("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?");
  columns.bind_next(table).bind_next(column);
  columns.step();
  return columns.integer(0) > 0;
}

bool has_table(const Database& db, const std::string& table) {
  auto row = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  row.bind_next(table);
  row.step();
  return row.integer(0) > 0;
}

// A study made by an earlier tandem of the same schema version gets the columns and tables
// added since.
void add_missing_columns(Database& db) {
  if (!has_table(db, kJobsTable)) db.execute(kSchema);  // every CREATE is IF NOT EXISTS
  if (!has_column(db, "validations", kRetrainedColumn)) {
    db.execute(std::string("ALTER TABLE validations ADD COLUMN ") + kRetrainedColumn + " REAL");
  }
}

InputError not_a_study(const std::string& path, const std::string& why) {
  return InputError({path}, "",
                    "not a tandem study database (" + why +
                        "); expected the study.db that `tandem search` writes into its output "
                        "directory");
}

// Per connection: wait for other writers instead of failing, WAL so that readers (study show,
// report) never block the search, and an fsync per commit so a recorded trial survives even a
// power cut (a trial costs far more than one fsync).
void configure(Database& db) {
  db.execute("PRAGMA busy_timeout = 10000");
  db.execute("PRAGMA journal_mode = WAL");
  db.execute("PRAGMA synchronous = FULL");
}

}  // namespace

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

Study::Study(std::string path, std::unique_ptr<Database> db)
    : path_(std::move(path)), db_(std::move(db)) {}
Study::Study(Study&&) noexcept = default;
Study& Study::operator=(Study&&) noexcept = default;
Study::~Study() = default;

void Study::check_is_study() const {
  try {
    auto tables = db_->prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('study', 'trials', "
        "'validations')");
    tables.step();
    if (tables.integer(0) != 3) throw not_a_study(path_, "it has no study, trials and validations tables");
  } catch (const SqliteError& e) {
    throw not_a_study(path_, e.what());
  }
  const auto stored = meta();
  auto schema = stored.find(kSchemaVersionKey);
  if (schema == stored.end() || schema->second != kSchemaVersion) {
    throw InputError({path_}, kSchemaVersionKey,
                     "this study has schema version '" +
                         (schema == stored.end() ? std::string("none") : schema->second) +
                         "', this tandem (" + version() + ") reads version " + kSchemaVersion);
  }
}

namespace {

std::unique_ptr<Database> connect(const std::string& path, Database::Mode mode) {
  try {
    auto db = std::make_unique<Database>(path, mode);
    configure(*db);
    return db;
  } catch (const SqliteError& e) {
    throw not_a_study(path, e.what());
  }
}

std::int64_t table_count(const Database& db) {
  auto row = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'");
  row.step();
  return row.integer(0);
}

}  // namespace

Study Study::open(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) {
    throw InputError({path}, "", std::filesystem::exists(path)
                                     ? "not a file; expected a study database (study.db)"
                                     : "no such study database (expected the study.db of a "
                                       "`tandem search` output directory)");
  }
  Study study(path, connect(path, Database::Mode::open_existing));
  study.check_is_study();
  return study;
}

Study Study::create_or_resume(const std::string& path,
                              const std::map<std::string, std::string>& meta) {
  if (const auto parent = std::filesystem::path(path).parent_path(); !parent.empty()) {
    std::filesystem::create_directories(parent);
  }
  Study study(path, connect(path, Database::Mode::create_if_missing));
  // A file without tables is new, or a creation that was killed before its commit.
  bool is_new = false;
  try {
    is_new = table_count(*study.db_) == 0;
  } catch (const SqliteError& e) {
    throw not_a_study(path, e.what());
  }
  if (!is_new) {
    study.check_is_study();
    add_missing_columns(*study.db_);
    const auto stored = study.meta();
    auto wanted = meta.find(kFlowHashKey);
    auto found = stored.find(kFlowHashKey);
    if (wanted != meta.end() && (found == stored.end() || found->second != wanted->second)) {
      throw InputError(
          {path}, kFlowHashKey,
          "this study was made by a different flow (stored flow hash " +
              (found == stored.end() ? std::string("none") : found->second) + ", this flow " +
              wanted->second +
              "); resuming would mix two searches. Choose another output directory, or start "
              "afresh with --fresh (deletes this study)");
    }
    return study;
  }
  Transaction transaction(*study.db_);
  study.db_->execute(kSchema);
  std::map<std::string, std::string> all = meta;
  all[kSchemaVersionKey] = kSchemaVersion;
  all[kVersionKey] = version();
  if (!all.count(kCreatedAtKey)) all[kCreatedAtKey] = utc_timestamp();
  for (const auto& [key, value] : all) {
    study.db_->prepare("INSERT INTO study (key, value) VALUES (?, ?)").bind_next(key).bind_next(value).run();
  }
  transaction.commit();
  return study;
}

void Study::remove(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix);
  }
}

std::map<std::string, std::string> Study::meta() const {
  std::map<std::string, std::string> meta;
  auto rows = db_->prepare("SELECT key, value FROM study");
  while (rows.step()) meta[rows.text(0)] = rows.text(1);
  return meta;
}

void Study::set_meta(const std::string& key, const std::string& value) {
  db_->prepare("INSERT OR REPLACE INTO study (key, value) VALUES (?, ?)").bind_next(key).bind_next(value).run();
}

void Study::record(const TrialRecord& trial) {
  Transaction transaction(*db_);
  auto existing = db_->prepare("SELECT 1 FROM trials WHERE number = ?");
  existing.bind(1, trial.number);
  if (existing.step()) {
    throw std::invalid_argument("trial " + std::to_string(trial.number) + " is already recorded in " +
                                path_ + "; a trial is never evaluated twice");
  }
  auto insert = db_->prepare(std::string("INSERT INTO trials (") + kTrialColumns + ") VALUES (" +
                             placeholders(kTrialColumnCount) + ")");
  write_trial(insert, trial);
  insert.run();
  transaction.commit();
}

std::optional<TrialRecord> Study::find(std::int64_t number) const {
  auto row = db_->prepare(std::string("SELECT ") + kTrialColumns + " FROM trials WHERE number = ?");
  row.bind(1, number);
  if (!row.step()) return std::nullopt;
  return read_stored_trial(row, path_);
}

std::vector<TrialRecord> Study::trials() const {
  std::vector<TrialRecord> trials;
  auto rows = db_->prepare(std::string("SELECT ") + kTrialColumns + " FROM trials ORDER BY number");
  while (rows.step()) trials.push_back(read_stored_trial(rows, path_));
  return trials;
}

std::size_t Study::trial_count() const {
  auto row = db_->prepare("SELECT count(*) FROM trials");
  row.step();
  return static_cast<std::size_t>(row.integer(0));
}

void Study::record_validation(const ValidationRecord& validation) {
  Transaction transaction(*db_);
  if (!find(validation.trial)) {
    throw std::invalid_argument("cannot record a validation of trial " +
                                std::to_string(validation.trial) + ": no such trial in " + path_);
  }
  auto existing = db_->prepare("SELECT 1 FROM validations WHERE trial = ?");
  existing.bind(1, validation.trial);
  if (existing.step()) {
    throw std::invalid_argument("trial " + std::to_string(validation.trial) +
                                " is already validated in " + path_);
  }
  auto insert = db_->prepare(std::string("INSERT INTO validations (") + kValidationColumns +
                             ") VALUES (" + placeholders(kValidationColumnCount) + ")");
  write_validation(insert, validation);
  insert.run();
  transaction.commit();
}

std::vector<ValidationRecord> Study::validations() const {
  std::vector<ValidationRecord> validations;
  std::string columns = kValidationColumns;
  if (!has_column(*db_, "validations", kRetrainedColumn)) {  // an older study opened to read
    columns.replace(columns.find(kRetrainedColumn), std::string(kRetrainedColumn).size(), "NULL");
  }
  auto rows = db_->prepare("SELECT " + columns + " FROM validations ORDER BY trial");
  while (rows.step()) validations.push_back(read_validation(rows));
  return validations;
}

void Study::record_job(const JobRecord& job) {
  // An upsert keeps the row (and its rowid: the submission order) when a job's state changes.
  auto insert = db_->prepare(std::string("INSERT INTO jobs (") + kJobColumns + ") VALUES (" + placeholders(10) +
                             ") ON CONFLICT (job_id) DO UPDATE SET kind = excluded.kind, key = excluded.key, "
                             "attempt = excluded.attempt, state = excluded.state, reason = excluded.reason, "
                             "log_file = excluded.log_file, submitted_at = excluded.submitted_at, "
                             "finished_at = excluded.finished_at, result = excluded.result");
  insert.bind_next(job.job_id).bind_next(job.kind).bind_next(job.key).bind_next(std::int64_t{job.attempt});
  insert.bind_next(job.state).bind_next(job.reason).bind_next(job.log_file);
  insert.bind_next(job.submitted_at).bind_next(job.finished_at).bind_next(std::int64_t{job.result ? 1 : 0});
  insert.run();
}

std::vector<JobRecord> Study::jobs() const {
  std::vector<JobRecord> jobs;
  if (!has_table(*db_, kJobsTable)) return jobs;  // an older study opened to read
  auto rows = db_->prepare(std::string("SELECT ") + kJobColumns + " FROM jobs ORDER BY rowid");
  while (rows.step()) {
    JobRecord job;
    int i = 0;
    job.job_id = rows.text(i++);
    job.kind = rows.text(i++);
    job.key = rows.integer(i++);
    job.attempt = static_cast<int>(rows.integer(i++));
    job.state = rows.text(i++);
    job.reason = rows.text(i++);
    job.log_file = rows.text(i++);
    job.submitted_at = rows.text(i++);
    job.finished_at = rows.text(i++);
    job.result = rows.integer(i++) != 0;
    jobs.push_back(std::move(job));
  }
  return jobs;
}

StudyContents Study::contents() const {
  // One read transaction, so the parts agree even while a search is writing.
  Transaction snapshot(*db_, Transaction::Kind::read);
  StudyContents contents{path_, meta(), trials(), validations(), jobs()};
  snapshot.commit();
  return contents;
}

}  // namespace tandem
