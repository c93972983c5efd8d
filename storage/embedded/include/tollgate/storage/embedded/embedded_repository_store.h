// RepositoryStore on the embedded SQLite database, with every repository indexed in memory.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "tollgate/storage/embedded/embedded_entitlement_store.h"
#include "tollgate/storage/index/repository_index.h"
#include "tollgate/storage/repository_store.h"

namespace tollgate::storage {

class SqliteDatabase;

class EmbeddedRepositoryStore final : public RepositoryStore {
 public:
  // Reads every repository of `db` into memory. Delete removes the repository's tokens from
  // `entitlements` too, which must be open on the same database. Unavailable when the
  // database cannot be read; DataLoss when a row holds a value this version does not know.
  static absl::StatusOr<std::unique_ptr<EmbeddedRepositoryStore>> Load(
      std::shared_ptr<SqliteDatabase> db, std::shared_ptr<EmbeddedEntitlementStore> entitlements);

  absl::Status Create(const Repository& repository) override;
  // Changes name, type and storage; the slug and created_at stay.
  absl::Status Update(const Repository& repository) override;
  // Deletes the repository's entitlements, artifact records and signing key with it, in one
  // transaction.
  absl::Status Delete(const std::string& org, const std::string& slug) override;
  RepositoryPtr Get(const std::string& org, const std::string& slug) const override;
  std::vector<Repository> List(const std::string& org) const override;

 private:
  EmbeddedRepositoryStore(std::shared_ptr<SqliteDatabase> db,
                          std::shared_ptr<EmbeddedEntitlementStore> entitlements)
      : db_(std::move(db)), entitlements_(std::move(entitlements)) {}

  const std::shared_ptr<SqliteDatabase> db_;
  const std::shared_ptr<EmbeddedEntitlementStore> entitlements_;
  // Held across a write's SQLite transaction and its memory update, so memory changes in the
  // order the database committed them. Readers never take it. Taken before the index's lock.
  std::mutex write_mu_;
  RepositoryIndex index_;  // its lock is held only for memory reads and updates
};

}  // namespace tollgate::storage
