// EntitlementStore on the embedded SQLite database, with every token indexed in memory so
// that the download path reads no disk.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tollgate/storage/entitlement_store.h"
#include "tollgate/storage/index/entitlement_index.h"

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
  absl::Status Update(const policy::Entitlement& entitlement,
                      absl::Time expected_updated_at) override;
  absl::Status ReplaceStandardTokens(const std::string& org, const std::string& repo,
                                     const std::vector<policy::Entitlement>& tokens) override;
  absl::Status Delete(const std::string& org, const std::string& repo,
                      const std::string& identifier) override;
  EntitlementPtr Get(const std::string& org, const std::string& repo,
                     const std::string& identifier) const override;
  EntitlementPtr FindByToken(const std::string& org, const std::string& repo,
                             std::string_view token) const override;
  bool ContainsToken(std::string_view token) const override;
  // Ordered by created_at, then identifier.
  std::vector<EntitlementPtr> List(const std::string& org, const std::string& repo) const override;
  int64_t CountActiveStandardTokens(const std::string& org, const std::string& repo) const override;

  // Drops org/repo's tokens from memory once the repository store has deleted their rows
  // together with the repository's.
  void ForgetRepository(const std::string& org, const std::string& repo);

 private:
  explicit EmbeddedEntitlementStore(std::shared_ptr<SqliteDatabase> db);

  const std::shared_ptr<SqliteDatabase> db_;
  // Held across a write's SQLite transaction and its memory update, so memory changes in the
  // order the database committed them. Readers never take it. Taken before the index's lock,
  // which is held only for memory reads and updates, never across SQLite, so downloads never
  // wait for the disk.
  std::mutex write_mu_;
  EntitlementIndex index_;
};

}  // namespace tollgate::storage
