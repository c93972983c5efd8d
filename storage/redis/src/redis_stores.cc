// Opening the Redis store set: the replica's stores behind the Stores interfaces.
#include "tollgate/storage/redis/redis_stores.h"

#include <memory>
#include <utility>

#include "redis_replica.h"

namespace tollgate::storage {

absl::StatusOr<Stores> OpenRedisStores(const RedisEndpoint& endpoint, RedisReplicaEvents events) {
  absl::StatusOr<std::shared_ptr<RedisReplica>> opened =
      RedisReplica::Open(endpoint, std::move(events));
  if (!opened.ok()) return opened.status();
  std::shared_ptr<RedisReplica> replica = *std::move(opened);
  Stores stores;
  // Every handle shares ownership of the whole replica, which stops following once the
  // last one is dropped.
  stores.accounts = std::shared_ptr<AccountStore>(replica, &replica->accounts());
  stores.repositories = std::shared_ptr<RepositoryStore>(replica, &replica->repositories());
  stores.entitlements = std::shared_ptr<EntitlementStore>(replica, &replica->entitlements());
  stores.artifacts = std::shared_ptr<ArtifactCatalog>(replica, &replica->artifacts());
  stores.audit = std::shared_ptr<AuditLog>(replica, &replica->audit());
  stores.signing_keys = std::shared_ptr<SigningKeyStore>(replica, &replica->signing_keys());
  stores.is_reachable = [replica] { return replica->health().reachable(); };
  stores.staleness = [replica] { return replica->health().Staleness(absl::Now()); };
  return stores;
}

}  // namespace tollgate::storage
