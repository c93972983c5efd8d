// EntitlementStore on Redis: tokens live in Redis, and every instance answers reads from a
// full in-memory replica, so the download path never waits for the network.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "redis_script.h"
#include "redis_store_context.h"
#include "tollgate/storage/entitlement_store.h"
#include "tollgate/storage/index/entitlement_index.h"

namespace tollgate::storage {

class RedisEntitlementStore final : public EntitlementStore {
 public:
  // Hashes tokens under `token_hash_key` until Reset brings the key Redis holds.
  RedisEntitlementStore(RedisStoreContext& context, std::string token_hash_key);

  // Writes go to Redis first (atomically, with a change message), then to the replica. A
  // missing org/repo gives NotFound, besides the errors the interface names; Unavailable or
  // DeadlineExceeded when Redis did not confirm the write (it may still have happened).
  absl::Status Create(const policy::Entitlement& entitlement) override;
  // A stale Update (Aborted) also re-reads the token into this replica, so that a retry
  // starts from the current token.
  absl::Status Update(const policy::Entitlement& entitlement,
                      absl::Time expected_updated_at) override;
  // One script, and one change message naming the repository.
  absl::Status ReplaceStandardTokens(const std::string& org, const std::string& repo,
                                     const std::vector<policy::Entitlement>& tokens) override;
  absl::Status Delete(const std::string& org, const std::string& repo,
                      const std::string& identifier) override;
  // Reads come from the replica only.
  EntitlementPtr Get(const std::string& org, const std::string& repo,
                     const std::string& identifier) const override;
  EntitlementPtr FindByToken(const std::string& org, const std::string& repo,
                             std::string_view token) const override;
  bool ContainsToken(std::string_view token) const override;
  // Ordered by created_at, then identifier.
  std::vector<EntitlementPtr> List(const std::string& org, const std::string& repo) const override;
  int64_t CountActiveStandardTokens(const std::string& org, const std::string& repo) const override;

  // Keeping the replica; callers hold the context's replica_mu().

  std::string token_hash_key() const { return index_.token_hash_key(); }
  // Reads the tokens with `identifiers` from Redis, skipping those that are gone. A token
  // that does not decode is DataLoss when `strict`, and skipped (fails closed) otherwise.
  absl::StatusOr<std::vector<CompactEntitlementPtr>> Fetch(
      const std::vector<std::string>& identifiers, bool strict);
  void Reset(std::string token_hash_key, std::vector<CompactEntitlementPtr> entitlements) {
    index_.Reset(std::move(token_hash_key), std::move(entitlements));
  }
  void ReplaceRepository(const std::string& org, const std::string& repo,
                         std::vector<CompactEntitlementPtr> entitlements) {
    index_.ReplaceRepository(org, repo, std::move(entitlements));
  }
  // Re-reads tokens `identifiers` (in one round trip) after change messages: a token that is
  // gone, or does not decode, leaves the replica. Unavailable/DeadlineExceeded/Internal when
  // Redis could not be read, leaving the replica as it was.
  absl::Status Refresh(const std::vector<std::string>& identifiers);

 private:
  RedisStoreContext& context_;
  EntitlementIndex index_;
  const RedisScript create_script_;
  const RedisScript update_script_;
  const RedisScript replace_standard_script_;
  const RedisScript delete_script_;
};

}  // namespace tollgate::storage
