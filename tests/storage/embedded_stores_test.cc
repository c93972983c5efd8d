// Tests of what only the embedded (SQLite) stores do: the database file, its schema version,
// and keeping memory unchanged when the database refuses a write.
#include "tollgate/storage/embedded/embedded_stores.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "temp_dir.h"
#include "tollgate/storage/stores.h"

namespace tollgate::storage {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);

Repository Agents() {
  Repository repository;
  repository.org = "acme";
  repository.slug = "agents";
  repository.created_at = kNow;
  return repository;
}

// Runs `sql` on the database from a second connection, as an operator or a fault would.
void RunSql(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  const int result = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  EXPECT_EQ(result, SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

// The schema as versions 1 and 2 left it (user_version 2), before org directories: users
// were rows of their own.
constexpr char kVersion2Schema[] = R"sql(
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
PRAGMA user_version = 2;
)sql";

class EmbeddedStoresTest : public ::testing::Test {
 protected:
  std::filesystem::path data_dir() const { return dir_.path() / "data"; }
  std::filesystem::path database() const { return data_dir() / "tollgate.db"; }

  testing::TempDir dir_;
};

// A missing data folder is created, with the database in it.
TEST_F(EmbeddedStoresTest, CreatesMissingDataFolder) {
  ASSERT_TRUE(OpenEmbeddedStores(data_dir() / "nested").ok());
  EXPECT_TRUE(std::filesystem::exists(data_dir() / "nested" / "tollgate.db"));
}

// The database holds token strings, so only its owner may read it.
TEST_F(EmbeddedStoresTest, DatabaseFileIsPrivate) {
  ASSERT_TRUE(OpenEmbeddedStores(data_dir()).ok());
  struct stat status;
  ASSERT_EQ(::stat(database().c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);
}

// The embedded store always reports itself reachable.
TEST_F(EmbeddedStoresTest, IsReachable) {
  absl::StatusOr<Stores> stores = OpenEmbeddedStores(data_dir());
  ASSERT_TRUE(stores.ok());
  EXPECT_TRUE(stores->is_reachable());
}

// A database written by a newer schema version is refused rather than misread.
TEST_F(EmbeddedStoresTest, NewerSchemaIsRefused) {
  ASSERT_TRUE(OpenEmbeddedStores(data_dir()).ok());
  ASSERT_NO_FATAL_FAILURE(RunSql(database(), "PRAGMA user_version = 999"));
  EXPECT_EQ(OpenEmbeddedStores(data_dir()).status().code(), absl::StatusCode::kFailedPrecondition);
}

// A row holding a value this version does not know stops the open with DataLoss.
TEST_F(EmbeddedStoresTest, UnknownStoredValueIsDataLoss) {
  {
    absl::StatusOr<Stores> stores = OpenEmbeddedStores(data_dir());
    ASSERT_TRUE(stores.ok());
    ASSERT_TRUE(stores->accounts->CreateOrg("acme", kNow).ok());
    ASSERT_TRUE(stores->repositories->Create(Agents()).ok());
  }
  ASSERT_NO_FATAL_FAILURE(RunSql(database(), "UPDATE repositories SET repository_type = 'odd'"));
  EXPECT_EQ(OpenEmbeddedStores(data_dir()).status().code(), absl::StatusCode::kDataLoss);
}

// A token update the database refuses is Unavailable and leaves the token in memory as it was.
TEST_F(EmbeddedStoresTest, RefusedWriteLeavesMemoryUnchanged) {
  absl::StatusOr<Stores> stores = OpenEmbeddedStores(data_dir());
  ASSERT_TRUE(stores.ok());
  ASSERT_TRUE(stores->accounts->CreateOrg("acme", kNow).ok());
  ASSERT_TRUE(stores->repositories->Create(Agents()).ok());
  policy::Entitlement token;
  token.identifier = "e1";
  token.org = "acme";
  token.repo = "agents";
  token.token = "token-old-123";
  ASSERT_TRUE(stores->entitlements->Create(token).ok());
  ASSERT_NO_FATAL_FAILURE(RunSql(database(),
                                 "CREATE TRIGGER refuse BEFORE UPDATE ON entitlements "
                                 "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"));

  const absl::Time read_at = token.updated_at;
  token.token = "token-new-456";
  token.updated_at = read_at + absl::Seconds(1);
  EXPECT_EQ(stores->entitlements->Update(token, read_at).code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(stores->entitlements->FindByToken("acme", "agents", "token-old-123"), nullptr);
  EXPECT_EQ(stores->entitlements->FindByToken("acme", "agents", "token-new-456"), nullptr);
}

// A database of version 2 keeps its users: each becomes a member of its org's directory,
// found by the same key hash, and the key stays reserved for that org.
TEST_F(EmbeddedStoresTest, UsersOfVersion2BecomeDirectoryMembers) {
  ASSERT_TRUE(std::filesystem::create_directories(data_dir()));
  const std::string created = std::to_string(absl::ToUnixMicros(kNow));
  ASSERT_NO_FATAL_FAILURE(RunSql(database(), kVersion2Schema));
  ASSERT_NO_FATAL_FAILURE(RunSql(
      database(), "INSERT INTO orgs VALUES ('acme', " + created + "), ('globex', " + created +
                      ");" + "INSERT INTO users VALUES ('acme', 'bob', 'member', 'hash-bob', " +
                      created + " + 1)," + "('acme', 'alice', 'owner', 'hash-alice', " + created +
                      ");"));

  absl::StatusOr<Stores> stores = OpenEmbeddedStores(data_dir());
  ASSERT_TRUE(stores.ok()) << stores.status();
  std::optional<policy::Principal> alice = stores->accounts->FindByKeyHash("hash-alice");
  ASSERT_TRUE(alice.has_value());
  EXPECT_EQ(alice->org, "acme");
  EXPECT_EQ(alice->role, policy::OrgRole::kOwner);
  DirectoryPtr acme = stores->accounts->Directory("acme");
  ASSERT_NE(acme, nullptr);
  EXPECT_EQ(acme->created_at, kNow);
  ASSERT_EQ(acme->members.size(), 2u);
  EXPECT_EQ(acme->members[0].name, "alice");
  EXPECT_EQ(acme->members[1].name, "bob");
  EXPECT_EQ(acme->members[1].role, policy::OrgRole::kMember);
  EXPECT_EQ(acme->members[1].created_at, kNow + absl::Microseconds(1));
  DirectoryPtr globex = stores->accounts->Directory("globex");
  ASSERT_NE(globex, nullptr);
  EXPECT_TRUE(globex->members.empty());

  policy::OrgDirectory taken = *globex;
  taken.members.push_back({"mallory", policy::OrgRole::kOwner, "hash-alice", kNow});
  EXPECT_EQ(stores->accounts->ReplaceDirectory(taken).code(), absl::StatusCode::kAlreadyExists);
}

// A directory holding a value this version does not know stops the open with DataLoss
// naming the field.
TEST_F(EmbeddedStoresTest, UnknownDirectoryValueIsDataLossNamingTheField) {
  {
    absl::StatusOr<Stores> stores = OpenEmbeddedStores(data_dir());
    ASSERT_TRUE(stores.ok());
    ASSERT_TRUE(stores->accounts->CreateOrg("acme", kNow).ok());
    policy::OrgDirectory directory = *stores->accounts->Directory("acme");
    directory.members.push_back({"alice", policy::OrgRole::kOwner, "hash-alice", kNow});
    ASSERT_TRUE(stores->accounts->ReplaceDirectory(directory).ok());
  }
  ASSERT_NO_FATAL_FAILURE(RunSql(
      database(), "UPDATE org_directories SET json = replace(json, '\"owner\"', '\"emperor\"')"));
  absl::Status status = OpenEmbeddedStores(data_dir()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("members[0].role"), absl::string_view::npos) << status;
}

}  // namespace
}  // namespace tollgate::storage
