// AccountStore on the embedded SQLite database, with every org's directory indexed in memory.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "tollgate/storage/account_store.h"
#include "tollgate/storage/index/directory_index.h"

namespace tollgate::storage {

class SqliteDatabase;

class EmbeddedAccountStore final : public AccountStore {
 public:
  // Reads every org's directory of `db` into memory. Unavailable when the database cannot be
  // read; DataLoss when a directory holds a value this version does not know.
  static absl::StatusOr<std::unique_ptr<EmbeddedAccountStore>> Load(
      std::shared_ptr<SqliteDatabase> db);

  absl::Status CreateOrg(const std::string& org, absl::Time now) override;
  bool AnyOrgExists() const override;
  DirectoryPtr Directory(const std::string& org) const override;
  absl::Status ReplaceDirectory(const policy::OrgDirectory& directory) override;
  std::optional<policy::Principal> FindByKeyHash(const std::string& key_hash) const override;

 private:
  explicit EmbeddedAccountStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  const std::shared_ptr<SqliteDatabase> db_;
  // Held across a write's SQLite transaction and its memory update, so memory changes in the
  // order the database committed them. Readers never take it.
  std::mutex write_mu_;
  DirectoryIndex index_;  // its lock is held only for memory reads and updates
};

}  // namespace tollgate::storage
