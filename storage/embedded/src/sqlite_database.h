// The embedded stores' one SQLite connection: opening and migrating the schema, prepared
// statements and transactions, all behind one lock.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tollgate::storage {

// A prepared statement, finalised when destroyed. Parameters are numbered from 1 and columns
// from 0, as in SQLite. Timestamps are int64 microseconds since the Unix epoch.
class SqliteStatement {
 public:
  explicit SqliteStatement(sqlite3_stmt* statement) : statement_(statement) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) = delete;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // A failed bind is remembered and returned by the next Step or Run.
  void Bind(int index, std::string_view value);
  void Bind(int index, int64_t value);
  void Bind(int index, absl::Time value);
  void BindNull(int index);
  template <typename T>
  void Bind(int index, const std::optional<T>& value) {
    if (value) {
      Bind(index, *value);
    } else {
      BindNull(index);
    }
  }

  // Advances to the next row: true when one is available, false when the statement is done.
  // AlreadyExists on a UNIQUE or PRIMARY KEY violation, NotFound on a FOREIGN KEY violation
  // (the parent row is missing), Unavailable on any other failure.
  absl::StatusOr<bool> Step();
  // Steps a statement that returns no rows, then resets it for new bindings; errors as Step.
  absl::Status Run();

  bool ColumnIsNull(int column) const;
  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  absl::Time ColumnTime(int column) const;
  std::optional<int64_t> ColumnOptionalInt(int column) const;
  std::optional<std::string> ColumnOptionalText(int column) const;
  std::optional<absl::Time> ColumnOptionalTime(int column) const;

 private:
  void Check(int result);

  sqlite3_stmt* statement_;
  int bind_error_ = SQLITE_OK;
};

// The connection, handed to work that runs under the database lock.
class SqliteSession {
 public:
  // Unavailable when `sql` does not compile.
  absl::StatusOr<SqliteStatement> Prepare(const std::string& sql);
  // Runs one or more statements without parameters; errors as SqliteStatement::Step.
  absl::Status Execute(const std::string& sql);
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t changes() const;

 private:
  friend class SqliteDatabase;
  explicit SqliteSession(sqlite3* db) : db_(db) {}

  sqlite3* db_;
};

class SqliteDatabase {
 public:
  // Opens `file`, creating it (readable by its owner only: it holds token strings) and
  // migrating its schema. Unavailable with the reason when the file cannot be used;
  // FailedPrecondition when a newer tollgate wrote it.
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> Open(const std::filesystem::path& file);
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;
  ~SqliteDatabase();

  // The key of KeyedTokenHash, created at random with the database.
  const std::string& token_hash_key() const { return token_hash_key_; }

  // Runs `work` in one transaction that is durable on disk when Write returns OK. When
  // `work` fails, rolls back and returns its error; Unavailable when the commit fails.
  absl::Status Write(absl::FunctionRef<absl::Status(SqliteSession&)> work);
  // Runs `work` holding the connection; returns its result.
  absl::Status Read(absl::FunctionRef<absl::Status(SqliteSession&)> work) const;

 private:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  absl::Status Configure();
  // Write for callers that already hold mu_.
  absl::Status WriteLocked(absl::FunctionRef<absl::Status(SqliteSession&)> work);

  // One connection serves one statement at a time.
  mutable std::mutex mu_;
  sqlite3* const db_;
  std::string token_hash_key_;
};

}  // namespace tollgate::storage
