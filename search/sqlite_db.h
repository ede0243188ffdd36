// A thin RAII layer over the sqlite3 C API: a connection, prepared statements with typed binds
// and reads (NULL <-> std::nullopt), and a transaction guard that rolls back unless committed.
// Only the study database uses it; errors are SqliteError with SQLite's own message.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace tandem::sqlite {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }  // primary result code (SQLITE_CONSTRAINT, SQLITE_NOTADB...)

 private:
  int code_;
};

class Statement;

class Database {
 public:
  enum class Mode { open_existing, create_if_missing };
  Database(const std::string& path, Mode mode);

  void execute(const std::string& sql);  // one or more statements without parameters
  Statement prepare(const std::string& sql) const;
  [[noreturn]] void fail(int code, const std::string& what) const;
  sqlite3* handle() const { return db_.get(); }

 private:
  struct Close {
    void operator()(sqlite3* db) const;
  };
  std::unique_ptr<sqlite3, Close> db_;
};

class Statement {
 public:
  Statement(const Database& db, const std::string& sql);

  // Binds by 1-based index; returns *this for chaining.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, std::optional<double> value);
  Statement& bind(int index, std::optional<std::int64_t> value);
  Statement& bind_null(int index);
  // Binds the parameter after the last one bound by bind_next (the first: 1), so a row is
  // written in column order without index arithmetic.
  template <typename T>
  Statement& bind_next(const T& value) {
    return bind(++next_index_, value);
  }
  Statement& bind_next_null() { return bind_null(++next_index_); }

  bool step();  // true: a row is ready; false: done
  void run();   // step() to completion, for statements without rows

  bool is_null(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;  // "" for NULL
  std::optional<double> optional_real(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const;

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* statement) const;
  };
  const Database* db_;
  std::unique_ptr<sqlite3_stmt, Finalize> statement_;
  int next_index_ = 0;
};

// A write transaction begins IMMEDIATE (the write lock up front, so a busy database waits in
// the busy handler instead of failing mid-transaction); a read transaction is one consistent
// snapshot. ROLLBACK on destruction unless commit().
class Transaction {
 public:
  enum class Kind { write, read };
  explicit Transaction(Database& db, Kind kind = Kind::write);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace tandem::sqlite
