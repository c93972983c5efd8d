// The Redis stores' shared connection and the replica's health flags.
#include "redis_store_context.h"

#include <algorithm>
#include <utility>

#include "tollgate/base/concat.h"

namespace tollgate::storage {

void ReplicaHealth::RecordSync(absl::Time now, bool following) {
  last_sync_unix_nanos_.store(absl::ToUnixNanos(now));
  following_.store(following);
}

absl::Duration ReplicaHealth::Staleness(absl::Time now) const {
  if (following_.load()) return absl::ZeroDuration();
  const absl::Time last_sync = absl::FromUnixNanos(last_sync_unix_nanos_.load());
  return std::max(absl::ZeroDuration(), now - last_sync);
}

RedisStoreContext::RedisStoreContext(RedisEndpoint endpoint, RedisSyncClientOptions options)
    : endpoint_(endpoint), client_(std::move(endpoint), options) {}

template <typename T>
absl::StatusOr<T> RedisStoreContext::Observe(absl::StatusOr<T> result) {
  // Only the change-log follower's reads set it back: one answered command says little about
  // whether changes still arrive.
  if (absl::IsUnavailable(result.status()) || absl::IsDeadlineExceeded(result.status())) {
    health_.SetReachable(false);
  }
  return result;
}

absl::StatusOr<RedisReply> RedisStoreContext::Run(const RedisScript& script,
                                                  const std::vector<std::string>& keys,
                                                  const std::vector<std::string>& args) {
  return Observe(script.Run(client_, keys, args));
}

absl::StatusOr<RedisReply> RedisStoreContext::Command(const std::vector<std::string>& args) {
  return Observe(client_.Command(args));
}

absl::StatusOr<std::vector<RedisReply>> RedisStoreContext::Commands(
    const std::vector<std::vector<std::string>>& batch) {
  return Observe(client_.Commands(batch));
}

absl::StatusOr<std::vector<RedisReply>> RedisStoreContext::Transaction(
    const std::vector<std::vector<std::string>>& batch) {
  return Observe(client_.Transaction(batch));
}

absl::StatusOr<std::string> RedisStoreContext::RunWrite(const RedisScript& script,
                                                        const std::vector<std::string>& keys,
                                                        const std::vector<std::string>& args) {
  absl::StatusOr<RedisReply> reply = Run(script, keys, args);
  if (!reply.ok()) return reply.status();
  if (reply->type != RedisReply::Type::kString) {
    return absl::InternalError(Concat("redis write script failed on ", endpoint_.Describe(), ": ",
                                      reply->is_error() ? reply->str : "unexpected reply"));
  }
  return std::move(reply->str);
}

}  // namespace tollgate::storage
