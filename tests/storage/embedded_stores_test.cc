// Tests of what only the embedded (SQLite) stores do: the database file, its schema version,
// and keeping memory unchanged when the database refuses a write.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
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

  token.token = "token-new-456";
  EXPECT_EQ(stores->entitlements->Update(token).code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(stores->entitlements->FindByToken("acme", "agents", "token-old-123"), nullptr);
  EXPECT_EQ(stores->entitlements->FindByToken("acme", "agents", "token-new-456"), nullptr);
}

}  // namespace
}  // namespace tollgate::storage
