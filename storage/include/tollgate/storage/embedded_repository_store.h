// RepositoryStore on the embedded SQLite database, with every repository indexed in memory.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "tollgate/storage/embedded_entitlement_store.h"
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
  // Deletes the repository's entitlements and artifact records with it, in one transaction.
  absl::Status Delete(const std::string& org, const std::string& slug) override;
  std::optional<Repository> Get(const std::string& org, const std::string& slug) const override;
  std::vector<Repository> List(const std::string& org) const override;

 private:
  EmbeddedRepositoryStore(std::shared_ptr<SqliteDatabase> db,
                          std::shared_ptr<EmbeddedEntitlementStore> entitlements)
      : db_(std::move(db)), entitlements_(std::move(entitlements)) {}

  const std::shared_ptr<SqliteDatabase> db_;
  const std::shared_ptr<EmbeddedEntitlementStore> entitlements_;
  // Held across a write's SQLite transaction and its memory update, so memory changes in the
  // order the database committed them. Readers never take it. Taken before mu_.
  std::mutex write_mu_;
  // Guards by_org_; held only for memory reads and updates, never across SQLite.
  mutable std::shared_mutex mu_;
  // org → slug → repository; ordered by slug for List.
  absl::flat_hash_map<std::string, std::map<std::string, Repository>> by_org_;
};

}  // namespace tollgate::storage
