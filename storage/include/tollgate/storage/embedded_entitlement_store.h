// EntitlementStore on the embedded SQLite database, with every token indexed in memory so
// that the download path reads no disk.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "tollgate/storage/entitlement_store.h"

namespace tollgate::storage {

class SqliteDatabase;

class EmbeddedEntitlementStore final : public EntitlementStore {
 public:
  // Reads every token of `db` into memory. Unavailable when the database cannot be read;
  // DataLoss when a row holds a value this version does not know.
  static absl::StatusOr<std::unique_ptr<EmbeddedEntitlementStore>> Load(
      std::shared_ptr<SqliteDatabase> db);

  // A missing org/repo gives NotFound, besides the errors the interface names.
  absl::Status Create(const policy::Entitlement& entitlement) override;
  absl::Status Update(const policy::Entitlement& entitlement) override;
  absl::Status Delete(const std::string& org, const std::string& repo,
                      const std::string& identifier) override;
  EntitlementPtr Get(const std::string& org, const std::string& repo,
                     const std::string& identifier) const override;
  EntitlementPtr FindByToken(const std::string& org, const std::string& repo,
                             std::string_view token) const override;
  bool ContainsToken(std::string_view token) const override;
  // Ordered by created_at, then identifier.
  std::vector<EntitlementPtr> List(const std::string& org, const std::string& repo) const override;

  // Drops org/repo's tokens from memory once the repository store has deleted their rows
  // together with the repository's.
  void ForgetRepository(const std::string& org, const std::string& repo);

 private:
  struct RepoTokens {
    absl::flat_hash_map<std::string, EntitlementPtr> by_identifier;
    absl::flat_hash_map<std::string, EntitlementPtr> by_token_hash;
  };
  // org → repo → tokens.
  using Index = absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, RepoTokens>>;

  explicit EmbeddedEntitlementStore(std::shared_ptr<SqliteDatabase> db);
  // The three below need mu_: shared for FindRepo, exclusive for the others.
  const RepoTokens* FindRepo(const std::string& org, const std::string& repo) const;
  void Insert(EntitlementPtr entitlement, std::string token_hash);
  void Erase(const policy::Entitlement& entitlement);
  void ForgetTokenHash(const std::string& token_hash);

  const std::shared_ptr<SqliteDatabase> db_;
  const std::string token_hash_key_;
  // Held across a write's SQLite transaction and its memory update, so memory changes in the
  // order the database committed them. Readers never take it. Taken before mu_.
  std::mutex write_mu_;
  // Guards index_ and identifiers_; held only for memory reads and updates, never across
  // SQLite, so downloads never wait for the disk.
  mutable std::shared_mutex mu_;
  Index index_;
  // Identifiers are unique across repositories, as in the database.
  absl::flat_hash_set<std::string> identifiers_;
  // How many repositories hold each token hash (multi-repository tokens share one string).
  absl::flat_hash_map<std::string, int> token_hash_repositories_;
};

}  // namespace tollgate::storage
