// Keeping the replica current: a full load at open and after every (re)subscription and
// reload interval; in between, one re-read per change message.
#include "redis_replica.h"

#include <mutex>
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

}  // namespace

absl::StatusOr<std::shared_ptr<RedisReplica>> RedisReplica::Open(const RedisEndpoint& endpoint,
                                                                 absl::Duration reload_interval) {
  std::shared_ptr<RedisReplica> replica(new RedisReplica(endpoint, reload_interval));
  {
    std::lock_guard lock(replica->context_.replica_mu());
    // Before the first load, so the users of an earlier version keep their keys.
    if (absl::Status converted = replica->accounts_.ConvertLegacyUsers(); !converted.ok()) {
      return converted;
    }
  }
  if (absl::Status loaded = replica->Reload(/*strict=*/true); !loaded.ok()) return loaded;
  const absl::Time now = absl::Now();
  replica->context_.health().SetReachable(true);
  // Matched Redis just now, but follows it only once subscribed (which reloads again, since
  // changes made before the subscription would otherwise be missed).
  replica->context_.health().RecordSync(now, /*following=*/false);
  replica->last_reload_ = now;

  RedisReplica* self = replica.get();  // the subscriber is stopped before *self goes
  RedisSubscriberCallbacks callbacks;
  callbacks.on_message = [self](std::string_view message) { self->OnMessage(message); };
  callbacks.on_subscription = [self](bool subscribed) { self->OnSubscription(subscribed); };
  callbacks.on_heartbeat = [self] { self->OnHeartbeat(); };
  absl::StatusOr<std::unique_ptr<RedisSubscriber>> subscriber =
      RedisSubscriber::Start(endpoint, std::string(layout::kChangesChannel), std::move(callbacks));
  if (!subscriber.ok()) return subscriber.status();
  replica->subscriber_ = *std::move(subscriber);
  return replica;
}

RedisReplica::RedisReplica(const RedisEndpoint& endpoint, absl::Duration reload_interval)
    : context_(endpoint, RedisSyncClientOptions()),
      // Only used when Redis holds no key yet; the first Reload adopts the shared one.
      entitlements_(context_, RandomSecret(kTokenHashKeyLength)),
      repositories_(context_, entitlements_),
      accounts_(context_),
      artifacts_(context_),
      audit_(context_),
      signing_keys_(context_),
      reload_interval_(reload_interval) {}

absl::Status RedisReplica::Reload(bool strict) {
  std::lock_guard lock(context_.replica_mu());
  // HSETNX first: of several instances opening an empty Redis, the first one's key wins and
  // every one reads the winner back.
  absl::StatusOr<std::vector<RedisReply>> key =
      context_.Transaction({{"HSETNX", layout::MetaKey(), std::string(layout::kTokenHashKeyField),
                             entitlements_.token_hash_key()},
                            {"HGET", layout::MetaKey(), std::string(layout::kTokenHashKeyField)}});
  if (!key.ok()) return key.status();
  const RedisReply& shared_key = (*key)[1];
  if (shared_key.type != RedisReply::Type::kString || shared_key.str.empty()) {
    return absl::InternalError("redis holds no token hash key right after setting it");
  }
  absl::StatusOr<RedisAccountStore::Snapshot> accounts = accounts_.Fetch(strict);
  if (!accounts.ok()) return accounts.status();
  absl::StatusOr<RedisRepositoryStore::Snapshot> repositories =
      repositories_.Fetch(accounts->orgs, strict);
  if (!repositories.ok()) return repositories.status();
  absl::StatusOr<std::vector<EntitlementPtr>> entitlements =
      entitlements_.Fetch(repositories->token_identifiers, strict);
  if (!entitlements.ok()) return entitlements.status();
  accounts_.Reset(*accounts);
  repositories_.Reset(repositories->repositories);
  entitlements_.Reset(shared_key.str, *entitlements);
  return absl::OkStatus();
}

absl::Status RedisReplica::Apply(std::string_view message) {
  std::optional<layout::Change> change = layout::ParseChange(message);
  if (!change) return absl::OkStatus();
  const std::vector<std::string>& names = change->names;
  std::lock_guard lock(context_.replica_mu());
  switch (change->kind) {
    case layout::ChangeKind::kDirectory:
      return accounts_.Refresh(names[0]);
    case layout::ChangeKind::kRepository:
      return repositories_.Refresh(names[0], names[1]);
    case layout::ChangeKind::kEntitlement:
      return entitlements_.Refresh(names[0]);
  }
  return absl::OkStatus();
}

void RedisReplica::OnSubscription(bool subscribed) {
  context_.health().SetReachable(subscribed);
  if (!subscribed) {
    context_.health().StopFollowing();
    return;
  }
  // Whatever was published while not subscribed is lost: only a full load catches up.
  needs_reload_ = true;
  Resync();
}

void RedisReplica::OnHeartbeat() {
  context_.health().SetReachable(true);
  const absl::Time now = absl::Now();
  if (needs_reload_ || now - last_reload_ >= reload_interval_) {
    Resync();
  } else {
    context_.health().RecordSync(now, /*following=*/true);
  }
}

void RedisReplica::OnMessage(std::string_view message) {
  if (!Apply(message).ok()) {
    // The object may now differ from Redis; the next heartbeat (within a second) reloads.
    needs_reload_ = true;
    context_.health().StopFollowing();
    return;
  }
  if (!needs_reload_) context_.health().RecordSync(absl::Now(), /*following=*/true);
}

void RedisReplica::Resync() {
  const absl::Status reloaded = Reload(/*strict=*/false);
  const absl::Time now = absl::Now();
  last_reload_ = now;
  needs_reload_ = !reloaded.ok();
  if (reloaded.ok()) {
    context_.health().RecordSync(now, /*following=*/true);
  } else {
    context_.health().StopFollowing();
  }
}

}  // namespace tollgate::storage
