// RepositoryStore on Redis, answering reads from every instance's in-memory replica.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "redis_entitlement_store.h"
#include "redis_script.h"
#include "redis_store_context.h"
#include "tollgate/storage/index/repository_index.h"
#include "tollgate/storage/repository_store.h"

namespace tollgate::storage {

class RedisRepositoryStore final : public RepositoryStore {
 public:
  // Delete removes the repository's tokens from `entitlements`' replica too.
  RedisRepositoryStore(RedisStoreContext& context, RedisEntitlementStore& entitlements);

  // Writes go to Redis first (atomically, with a change message), then to the replica;
  // Unavailable or DeadlineExceeded when Redis did not confirm the write.
  absl::Status Create(const Repository& repository) override;
  // Changes name, type and storage; the slug and created_at stay.
  absl::Status Update(const Repository& repository) override;
  // Deletes the repository's entitlements, artifact records and signing key with it,
  // atomically.
  absl::Status Delete(const std::string& org, const std::string& slug) override;
  // Reads come from the replica only.
  RepositoryPtr Get(const std::string& org, const std::string& slug) const override;
  std::vector<Repository> List(const std::string& org) const override;

  // Keeping the replica; callers hold the context's replica_mu().

  struct Snapshot {
    std::vector<Repository> repositories;
    std::vector<std::string> token_identifiers;  // of all those repositories
  };
  // Reads every repository of `orgs` from Redis, with the identifiers of their tokens. A
  // repository that does not decode is DataLoss when `strict`, and skipped otherwise.
  absl::StatusOr<Snapshot> Fetch(const std::vector<std::string>& orgs, bool strict);
  void Reset(const std::vector<Repository>& repositories);
  // Re-reads org/slug and all its tokens after a change message (a delete and re-create
  // in between leaves no stale token behind). Errors as the entitlement store's Refresh.
  absl::Status Refresh(const std::string& org, const std::string& slug);

 private:
  RedisStoreContext& context_;
  RedisEntitlementStore& entitlements_;
  RepositoryIndex index_;  // its lock is held only for memory reads and updates
  const RedisScript create_script_;
  const RedisScript update_script_;
  const RedisScript delete_script_;
};

}  // namespace tollgate::storage
