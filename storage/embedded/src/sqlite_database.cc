// The embedded stores' SQLite connection: durable settings, schema migrations, statements.
#include "sqlite_database.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tollgate/storage/secrets.h"

namespace tollgate::storage {
namespace {

// A writer from another process (`tollgate init` beside `serve`) holds the lock for at most
// one short transaction; wait that long rather than fail the admin request.
constexpr int kBusyTimeoutMs = 5000;
constexpr size_t kTokenHashKeyLength = 43;  // 256 bits of base62

// Schema versions: entry i migrates from user_version i to i + 1. Append, never edit.
constexpr std::array<const char*, 5> kMigrations = {
    R"sql(
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE orgs (
  name TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
);
CREATE TABLE users (
  org TEXT NOT NULL REFERENCES orgs (name),
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org, name)
);
CREATE TABLE repositories (
  org TEXT NOT NULL REFERENCES orgs (name),
  slug TEXT NOT NULL,
  name TEXT NOT NULL,
  repository_type TEXT NOT NULL,
  storage_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org, slug)
);
CREATE TABLE entitlements (
  identifier TEXT PRIMARY KEY,
  org TEXT NOT NULL,
  repo TEXT NOT NULL,
  name TEXT NOT NULL,
  token TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  is_active INTEGER NOT NULL,
  user TEXT,
  limit_date_range_from INTEGER,
  limit_date_range_to INTEGER,
  limit_num_downloads INTEGER,
  limit_num_clients INTEGER,
  limit_bandwidth INTEGER,
  limit_bandwidth_unit TEXT NOT NULL,
  limit_package_query TEXT,
  limit_path_query TEXT,
  scheduled_reset_period TEXT NOT NULL,
  usage_reset_at INTEGER,
  metadata_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (org, repo, token_hash),
  FOREIGN KEY (org, repo) REFERENCES repositories (org, slug)
);
CREATE TABLE artifacts (
  org TEXT NOT NULL,
  repo TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  uploader TEXT,
  uploaded_at INTEGER NOT NULL,
  PRIMARY KEY (org, repo, path),
  FOREIGN KEY (org, repo) REFERENCES repositories (org, slug)
);
)sql",
    // The usage ledger: counters per token and usage period, and the distinct clients.
    R"sql(
CREATE TABLE usage (
  token TEXT NOT NULL,
  period TEXT NOT NULL,
  downloads INTEGER NOT NULL,
  bandwidth INTEGER NOT NULL,
  last_downloaded_at INTEGER,
  period_end INTEGER,
  PRIMARY KEY (token, period)
);
CREATE TABLE usage_clients (
  token TEXT NOT NULL,
  period TEXT NOT NULL,
  client TEXT NOT NULL,
  PRIMARY KEY (token, period, client)
);
)sql",
    // Org directories (storage/src/org_directory_codec.h): one JSON document per org, with
    // the users of earlier versions as its members, and api_keys to keep key hashes unique
    // across orgs. The audit log of admin changes.
    R"sql(
CREATE TABLE org_directories (
  org TEXT PRIMARY KEY REFERENCES orgs (name),
  revision INTEGER NOT NULL,
  json TEXT NOT NULL
);
INSERT INTO org_directories (org, revision, json)
SELECT name, 1, json_object(
  'created_at', created_at,
  'max_active_entitlements', NULL,
  -- json(): a subquery's result would otherwise be embedded as a string.
  'members', json((SELECT json_group_array(json_object('name', u.name, 'role', u.role,
                                                     'key_hash', u.key_hash,
                                                     'created_at', u.created_at))
                   FROM (SELECT * FROM users WHERE users.org = orgs.name
                         ORDER BY created_at, name) AS u)),
  'services', json_array(),
  'teams', json_array(),
  'grants', json_object())
FROM orgs;
CREATE TABLE api_keys (
  key_hash TEXT PRIMARY KEY,
  org TEXT NOT NULL REFERENCES orgs (name)
);
INSERT INTO api_keys (key_hash, org) SELECT key_hash, org FROM users;
DROP TABLE users;
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor_kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  client_address TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  details_json TEXT NOT NULL
);
CREATE INDEX audit_log_by_org ON audit_log (org, id);
)sql",
    // Package-file facts for the package-manager views.
    R"sql(
ALTER TABLE artifacts ADD COLUMN sha1 TEXT NOT NULL DEFAULT '';
ALTER TABLE artifacts ADD COLUMN sha512 TEXT NOT NULL DEFAULT '';
ALTER TABLE artifacts ADD COLUMN metadata TEXT NOT NULL DEFAULT '';
)sql",
    // Repositories' OpenPGP signing keys (storage/signing_key_store.h); repositories of
    // earlier versions get theirs when first needed (EnsureSigningKey).
    R"sql(
CREATE TABLE signing_keys (
  org TEXT NOT NULL,
  repo TEXT NOT NULL,
  public_key TEXT NOT NULL,
  secret_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  PRIMARY KEY (org, repo),
  FOREIGN KEY (org, repo) REFERENCES repositories (org, slug)
);
)sql",
};

absl::Status SqliteError(sqlite3* db, int result, absl::string_view doing) {
  const std::string message = absl::StrCat("sqlite: ", doing, ": ", sqlite3_errmsg(db));
  switch (result) {
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_UNIQUE:
      return absl::AlreadyExistsError(message);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return absl::NotFoundError(message);
    default:
      return absl::UnavailableError(message);
  }
}

}  // namespace

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)), bind_error_(other.bind_error_) {}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

void SqliteStatement::Check(int result) {
  if (result != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = result;
}

void SqliteStatement::Bind(int index, std::string_view value) {
  Check(sqlite3_bind_text64(statement_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8));
}

void SqliteStatement::Bind(int index, int64_t value) {
  Check(sqlite3_bind_int64(statement_, index, value));
}

void SqliteStatement::Bind(int index, absl::Time value) { Bind(index, absl::ToUnixMicros(value)); }

void SqliteStatement::BindNull(int index) { Check(sqlite3_bind_null(statement_, index)); }

absl::StatusOr<bool> SqliteStatement::Step() {
  sqlite3* db = sqlite3_db_handle(statement_);
  if (bind_error_ != SQLITE_OK) return SqliteError(db, bind_error_, "binding a parameter");
  const int result = sqlite3_step(statement_);
  if (result == SQLITE_ROW) return true;
  if (result == SQLITE_DONE) return false;
  return SqliteError(db, result, sqlite3_sql(statement_));
}

absl::Status SqliteStatement::Run() {
  absl::Status status = Step().status();
  // Ready for the next set of bindings, so one statement can run many rows in a transaction.
  sqlite3_reset(statement_);
  return status;
}

bool SqliteStatement::ColumnIsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

int64_t SqliteStatement::ColumnInt(int column) const {
  return sqlite3_column_int64(statement_, column);
}

std::string SqliteStatement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

absl::Time SqliteStatement::ColumnTime(int column) const {
  return absl::FromUnixMicros(ColumnInt(column));
}

std::optional<int64_t> SqliteStatement::ColumnOptionalInt(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnInt(column);
}

std::optional<std::string> SqliteStatement::ColumnOptionalText(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnText(column);
}

std::optional<absl::Time> SqliteStatement::ColumnOptionalTime(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnTime(column);
}

absl::StatusOr<SqliteStatement> SqliteSession::Prepare(const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  const int result =
      sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()) + 1, &statement, nullptr);
  if (result != SQLITE_OK) return SqliteError(db_, result, sql);
  return SqliteStatement(statement);
}

absl::Status SqliteSession::Execute(const std::string& sql) {
  const int result = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  if (result != SQLITE_OK) return SqliteError(db_, result, sql);
  return absl::OkStatus();
}

int64_t SqliteSession::changes() const { return sqlite3_changes64(db_); }

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(
    const std::filesystem::path& file) {
  // SQLite creates new files (and later its -wal and -shm files, which copy the database's
  // mode) world-readable; creating the file first keeps token strings private.
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot open ", file.string(), ": ", std::strerror(errno)));
  }
  ::close(fd);

  sqlite3* db = nullptr;
  const int result =
      sqlite3_open_v2(file.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nullptr);
  if (result != SQLITE_OK) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("cannot open ", file.string(), ": ",
                     db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(result)));
    sqlite3_close(db);
    return status;
  }
  std::unique_ptr<SqliteDatabase> database(new SqliteDatabase(db));
  absl::Status configured = database->Configure();
  if (!configured.ok()) {
    return absl::Status(configured.code(), absl::StrCat(file.string(), ": ", configured.message()));
  }
  return database;
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close(db_); }

absl::Status SqliteDatabase::Configure() {
  std::lock_guard lock(mu_);
  SqliteSession session(db_);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // WAL lets readers run beside a writer; synchronous=FULL syncs the log on every commit, so
  // an admin change acknowledged to the client survives a power cut.
  {
    // Scoped: a statement left on a row would keep the COMMIT below from completing.
    absl::StatusOr<SqliteStatement> journal = session.Prepare("PRAGMA journal_mode = WAL");
    if (!journal.ok()) return journal.status();
    absl::StatusOr<bool> row = journal->Step();
    if (!row.ok()) return row.status();
    if (!*row || journal->ColumnText(0) != "wal") {
      return absl::UnavailableError("the database cannot use write-ahead logging");
    }
  }
  absl::Status status = session.Execute("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
  if (!status.ok()) return status;

  return WriteLocked([this](SqliteSession& write) -> absl::Status {
    int64_t current = 0;
    {
      // Scoped: while a statement is active, a migration's DROP TABLE fails as "locked".
      absl::StatusOr<SqliteStatement> version = write.Prepare("PRAGMA user_version");
      if (!version.ok()) return version.status();
      absl::StatusOr<bool> has_row = version->Step();
      if (!has_row.ok()) return has_row.status();
      if (*has_row) current = version->ColumnInt(0);
    }
    if (current > static_cast<int64_t>(kMigrations.size())) {
      return absl::FailedPreconditionError(absl::StrCat("schema version ", current,
                                                        " is newer than this tollgate knows (",
                                                        kMigrations.size(), ")"));
    }
    for (size_t next = static_cast<size_t>(current); next < kMigrations.size(); ++next) {
      absl::Status migrated = write.Execute(kMigrations[next]);
      if (!migrated.ok()) return migrated;
    }
    absl::Status versioned =
        write.Execute(absl::StrCat("PRAGMA user_version = ", kMigrations.size()));
    if (!versioned.ok()) return versioned;

    absl::StatusOr<SqliteStatement> insert =
        write.Prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('token_hash_key', ?1)");
    if (!insert.ok()) return insert.status();
    insert->Bind(1, RandomSecret(kTokenHashKeyLength));
    absl::Status inserted = insert->Run();
    if (!inserted.ok()) return inserted;

    absl::StatusOr<SqliteStatement> select =
        write.Prepare("SELECT value FROM meta WHERE key = 'token_hash_key'");
    if (!select.ok()) return select.status();
    absl::StatusOr<bool> found = select->Step();
    if (!found.ok()) return found.status();
    if (!*found) return absl::InternalError("token_hash_key missing after insert");
    token_hash_key_ = select->ColumnText(0);
    return absl::OkStatus();
  });
}

absl::Status SqliteDatabase::Write(absl::FunctionRef<absl::Status(SqliteSession&)> work) {
  std::lock_guard lock(mu_);
  return WriteLocked(work);
}

absl::Status SqliteDatabase::WriteLocked(absl::FunctionRef<absl::Status(SqliteSession&)> work) {
  SqliteSession session(db_);
  // IMMEDIATE takes the write lock up front, so another process cannot make this
  // transaction fail half-way with SQLITE_BUSY.
  absl::Status status = session.Execute("BEGIN IMMEDIATE");
  if (!status.ok()) return status;
  status = work(session);
  if (status.ok()) status = session.Execute("COMMIT");
  if (!status.ok()) {
    // Some errors (I/O, full disk) already rolled the transaction back; then ROLLBACK fails
    // harmlessly with "no transaction is active".
    session.Execute("ROLLBACK").IgnoreError();
  }
  return status;
}

absl::Status SqliteDatabase::Read(absl::FunctionRef<absl::Status(SqliteSession&)> work) const {
  std::lock_guard lock(mu_);
  SqliteSession session(db_);
  return work(session);
}

}  // namespace tollgate::storage
