// One instance's replica of the Redis stores: the stores, the connection they share, and the
// follower thread that keeps them current from the change log.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"
#include "redis_account_store.h"
#include "redis_artifact_catalog.h"
#include "redis_audit_log.h"
#include "redis_entitlement_store.h"
#include "redis_repository_store.h"
#include "redis_signing_key_store.h"
#include "redis_store_context.h"
#include "tollgate/storage/redis/redis_change_follower.h"
#include "tollgate/storage/redis/redis_endpoint.h"
#include "tollgate/storage/redis/redis_stores.h"

namespace tollgate::storage {

class RedisReplica {
 public:
  // Converts legacy users (RedisAccountStore::ConvertLegacyUsers), loads everything from
  // Redis, then starts following the change log. Errors as OpenRedisStores.
  static absl::StatusOr<std::shared_ptr<RedisReplica>> Open(const RedisEndpoint& endpoint,
                                                            RedisReplicaEvents events);
  RedisReplica(const RedisReplica&) = delete;
  RedisReplica& operator=(const RedisReplica&) = delete;

  RedisAccountStore& accounts() { return accounts_; }
  RedisRepositoryStore& repositories() { return repositories_; }
  RedisEntitlementStore& entitlements() { return entitlements_; }
  RedisArtifactCatalog& artifacts() { return artifacts_; }
  RedisAuditLog& audit() { return audit_; }
  RedisSigningKeyStore& signing_keys() { return signing_keys_; }
  const ReplicaHealth& health() { return context_.health(); }

 private:
  explicit RedisReplica(const RedisEndpoint& endpoint);

  // Reads everything from Redis and swaps it in, adopting the shared token-hash key and
  // change-log epoch (or making this replica's the shared ones when Redis has none, e.g.
  // after it lost its data). Returns the change-log position read before loading. Errors
  // as the stores' Fetch with `strict`.
  absl::StatusOr<ChangeLogPosition> Reload(bool strict);
  // Reload without giving the freed memory back.
  absl::StatusOr<ChangeLogPosition> LoadEverything(bool strict);
  // Re-reads the objects change messages name, in order. A message this version does not
  // know is ignored: it names nothing this version keeps.
  absl::Status Apply(std::span<const std::string_view> messages);

  RedisStoreContext context_;
  RedisEntitlementStore entitlements_;
  RedisRepositoryStore repositories_;
  RedisAccountStore accounts_;
  RedisArtifactCatalog artifacts_;
  RedisAuditLog audit_;
  RedisSigningKeyStore signing_keys_;
  // Last, so it is destroyed first: its thread stops before what it updates goes away.
  std::unique_ptr<RedisChangeFollower> follower_;
};

}  // namespace tollgate::storage
