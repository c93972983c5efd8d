// One instance's replica of the Redis stores: the stores, the connection they share, and the
// subscriber thread that keeps them current.
#pragma once

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "redis_account_store.h"
#include "redis_artifact_catalog.h"
#include "redis_audit_log.h"
#include "redis_entitlement_store.h"
#include "redis_repository_store.h"
#include "redis_signing_key_store.h"
#include "redis_store_context.h"
#include "tollgate/storage/redis/redis_endpoint.h"
#include "tollgate/storage/redis/redis_subscriber.h"

namespace tollgate::storage {

class RedisReplica {
 public:
  // Converts legacy users (RedisAccountStore::ConvertLegacyUsers), loads everything from
  // Redis, then starts following the change channel. Errors as OpenRedisStores.
  static absl::StatusOr<std::shared_ptr<RedisReplica>> Open(const RedisEndpoint& endpoint,
                                                            absl::Duration reload_interval);
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
  RedisReplica(const RedisEndpoint& endpoint, absl::Duration reload_interval);

  // Reads everything from Redis and swaps it in, adopting the shared token-hash key (or
  // making this replica's the shared one when Redis has none, e.g. after it lost its data).
  // Errors as the stores' Fetch with `strict`.
  absl::Status Reload(bool strict);
  // Re-reads the object a change message names. A message this version does not know is
  // ignored: the periodic reload covers whatever it was about.
  absl::Status Apply(std::string_view message);

  // The subscriber's callbacks, on its thread.
  void OnSubscription(bool subscribed);
  void OnHeartbeat();
  void OnMessage(std::string_view message);
  // Reloads, and records whether the replica now follows Redis.
  void Resync();

  RedisStoreContext context_;
  RedisEntitlementStore entitlements_;
  RedisRepositoryStore repositories_;
  RedisAccountStore accounts_;
  RedisArtifactCatalog artifacts_;
  RedisAuditLog audit_;
  RedisSigningKeyStore signing_keys_;
  const absl::Duration reload_interval_;
  // The subscriber's thread alone uses these (Open, before it starts).
  bool needs_reload_ = true;
  absl::Time last_reload_;
  // Last, so it is destroyed first: its thread stops before what it updates goes away.
  std::unique_ptr<RedisSubscriber> subscriber_;
};

}  // namespace tollgate::storage
