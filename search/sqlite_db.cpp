#include "search/sqlite_db.h"

#include <sqlite3.h>

namespace tandem::sqlite {

void Database::Close::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void Statement::Finalize::operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }

Database::Database(const std::string& path, Mode mode) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (mode == Mode::create_if_missing ? SQLITE_OPEN_CREATE : 0);
  const int code = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  db_.reset(raw);  // sqlite3_open_v2 allocates a handle even on failure; it must be closed
  if (code != SQLITE_OK) fail(code, "cannot open");
}

void Database::fail(int code, const std::string& what) const {
  const char* message = db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(code);
  throw SqliteError(code & 0xff, what + ": " + message);
}

void Database::execute(const std::string& sql) {
  char* error = nullptr;
  const int code = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &error);
  if (code != SQLITE_OK) {
    const std::string message = error ? error : sqlite3_errstr(code);
    sqlite3_free(error);
    throw SqliteError(code & 0xff, message);
  }
}

Statement Database::prepare(const std::string& sql) const { return Statement(*this, sql); }

Statement::Statement(const Database& db, const std::string& sql) : db_(&db) {
  sqlite3_stmt* raw = nullptr;
  const int code = sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &raw, nullptr);
  statement_.reset(raw);
  if (code != SQLITE_OK) db.fail(code, "cannot prepare '" + sql.substr(0, 60) + "'");
}

namespace {
void check_bind(const Database& db, int code) {
  if (code != SQLITE_OK) db.fail(code, "cannot bind a value");
}
}  // namespace

Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(*db_, sqlite3_bind_int64(statement_.get(), index, value));
  return *this;
}

Statement& Statement::bind(int index, double value) {
  check_bind(*db_, sqlite3_bind_double(statement_.get(), index, value));
  return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
  check_bind(*db_, sqlite3_bind_text(statement_.get(), index, value.data(),
                                     static_cast<int>(value.size()), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind(int index, std::optional<double> value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, std::optional<std::int64_t> value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  check_bind(*db_, sqlite3_bind_null(statement_.get(), index));
  return *this;
}

bool Statement::step() {
  const int code = sqlite3_step(statement_.get());
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  db_->fail(code, "statement failed");
}

void Statement::run() {
  while (step()) {
  }
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

double Statement::real(int column) const { return sqlite3_column_double(statement_.get(), column); }

std::string Statement::text(int column) const {
  const auto* bytes = sqlite3_column_text(statement_.get(), column);
  if (!bytes) return "";
  return std::string(reinterpret_cast<const char*>(bytes),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column)));
}

std::optional<double> Statement::optional_real(int column) const {
  if (is_null(column)) return std::nullopt;
  return real(column);
}

std::optional<std::int64_t> Statement::optional_integer(int column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

Transaction::Transaction(Database& db, Kind kind) : db_(db) {
  db_.execute(kind == Kind::write ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    db_.execute("ROLLBACK");
  } catch (const SqliteError&) {
    // The transaction may already be gone (SQLite rolls back by itself on some errors).
  }
}

void Transaction::commit() {
  db_.execute("COMMIT");
  done_ = true;
}

}  // namespace tandem::sqlite
