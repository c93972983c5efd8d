// Keeping the replica current: a full load at open (and whenever the change log cannot say
// what was missed); after that, one re-read per change-log entry, in order.
#include "redis_replica.h"

#include <malloc.h>

#include <mutex>
#include <span>
#include <string>
#include <utility>

#include "redis_layout.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/secrets.h"

namespace tollgate::storage {
namespace {

namespace layout = redis_layout;

// As long as the other secrets: the HMAC key of token hashes.
constexpr size_t kTokenHashKeyLength = 64;
// Random enough that two Redis data sets never share one.
constexpr size_t kChangeLogEpochLength = 32;

}  // namespace

absl::StatusOr<std::shared_ptr<RedisReplica>> RedisReplica::Open(const RedisEndpoint& endpoint,
                                                                 RedisReplicaEvents events) {
  std::shared_ptr<RedisReplica> replica(new RedisReplica(endpoint));
  {
    std::lock_guard lock(replica->context_.replica_mu());
    // Before the first load, so the users of an earlier version keep their keys.
    if (absl::Status converted = replica->accounts_.ConvertLegacyUsers(); !converted.ok()) {
      return converted;
    }
  }
  absl::StatusOr<ChangeLogPosition> position = replica->Reload(/*strict=*/true);
  if (!position.ok()) return position.status();
  ReplicaHealth& health = replica->context_.health();
  health.SetReachable(true);
  health.RecordSync(absl::Now(), /*following=*/true);

  RedisReplica* self = replica.get();  // the follower is stopped before *self goes
  RedisChangeFollowerCallbacks callbacks;
  callbacks.reload = [self, events](std::string_view reason) {
    if (events.reloading) events.reloading(reason);
    return self->Reload(/*strict=*/false);
  };
  callbacks.apply = [self](std::span<const std::string_view> messages) {
    return self->Apply(messages);
  };
  callbacks.on_reachable = [&health](bool reachable) {
    health.SetReachable(reachable);
    if (!reachable) health.StopFollowing();
  };
  callbacks.on_current = [&health, events] {
    // Also after the store's own connection failed (which marks Redis unreachable) and a
    // retry worked.
    health.SetReachable(true);
    health.RecordSync(absl::Now(), /*following=*/true);
    if (events.current) events.current();
  };
  callbacks.on_trouble = [&health, events](std::string_view trouble) {
    health.StopFollowing();
    if (events.trouble) events.trouble(trouble);
  };
  absl::StatusOr<std::unique_ptr<RedisChangeFollower>> follower =
      RedisChangeFollower::Start(endpoint, *std::move(position), std::move(callbacks));
  if (!follower.ok()) return follower.status();
  replica->follower_ = *std::move(follower);
  return replica;
}

RedisReplica::RedisReplica(const RedisEndpoint& endpoint)
    : context_(endpoint, RedisSyncClientOptions()),
      // Only used when Redis holds no key yet; the first Reload adopts the shared one.
      entitlements_(context_, RandomSecret(kTokenHashKeyLength)),
      repositories_(context_, entitlements_),
      accounts_(context_),
      artifacts_(context_),
      audit_(context_),
      signing_keys_(context_) {}

absl::StatusOr<ChangeLogPosition> RedisReplica::Reload(bool strict) {
  absl::StatusOr<ChangeLogPosition> position = LoadEverything(strict);
  // The load decoded every token before compacting it, and the tables it replaced are gone:
  // glibc keeps such freed memory unless asked, which would leave the process at about
  // twice its steady size after every full load.
  ::malloc_trim(0);
  return position;
}

absl::StatusOr<ChangeLogPosition> RedisReplica::LoadEverything(bool strict) {
  std::lock_guard lock(context_.replica_mu());
  // HSETNX first: of several instances opening an empty Redis, the first one's key and
  // epoch win and every one reads the winners back. The position is read in the same step,
  // before the load: following from it replays whatever changes during the load.
  std::vector<std::vector<std::string>> batch = {
      {"HSETNX", layout::MetaKey(), std::string(layout::kTokenHashKeyField),
       entitlements_.token_hash_key()},
      {"HGET", layout::MetaKey(), std::string(layout::kTokenHashKeyField)},
      ReadChangeLogPositionCommand(RandomSecret(kChangeLogEpochLength))};
  absl::StatusOr<std::vector<RedisReply>> replies = context_.Transaction(batch);
  if (!replies.ok()) return replies.status();
  const RedisReply& shared_key = (*replies)[1];
  if (shared_key.type != RedisReply::Type::kString || shared_key.str.empty()) {
    return absl::InternalError("redis holds no token hash key right after setting it");
  }
  absl::StatusOr<ChangeLogPosition> position = ChangeLogPositionFromReply((*replies)[2]);
  if (!position.ok()) return position.status();
  absl::StatusOr<RedisAccountStore::Snapshot> accounts = accounts_.Fetch(strict);
  if (!accounts.ok()) return accounts.status();
  absl::StatusOr<RedisRepositoryStore::Snapshot> repositories =
      repositories_.Fetch(accounts->orgs, strict);
  if (!repositories.ok()) return repositories.status();
  absl::StatusOr<std::vector<CompactEntitlementPtr>> entitlements =
      entitlements_.Fetch(repositories->token_identifiers, strict);
  if (!entitlements.ok()) return entitlements.status();
  accounts_.Reset(*accounts);
  repositories_.Reset(repositories->repositories);
  entitlements_.Reset(shared_key.str, *std::move(entitlements));
  return position;
}

absl::Status RedisReplica::Apply(std::span<const std::string_view> messages) {
  std::lock_guard lock(context_.replica_mu());
  // A run of token changes is re-read in one round trip; the other kinds, rare, one by one
  // where they stand, so that the order of kinds is kept.
  std::vector<std::string> tokens;
  const auto refresh_tokens = [&] {
    absl::Status refreshed = tokens.empty() ? absl::OkStatus() : entitlements_.Refresh(tokens);
    tokens.clear();
    return refreshed;
  };
  for (const std::string_view message : messages) {
    std::optional<layout::Change> change = layout::ParseChange(message);
    if (!change) continue;
    const std::vector<std::string>& names = change->names;
    if (change->kind == layout::ChangeKind::kEntitlement) {
      tokens.push_back(names[0]);
      continue;
    }
    if (absl::Status refreshed = refresh_tokens(); !refreshed.ok()) return refreshed;
    const absl::Status applied = change->kind == layout::ChangeKind::kDirectory
                                     ? accounts_.Refresh(names[0])
                                     : repositories_.Refresh(names[0], names[1]);
    if (!applied.ok()) return applied;
  }
  return refresh_tokens();
}

}  // namespace tollgate::storage
