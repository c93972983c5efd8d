// What the Redis stores of one instance share: the command connection, the lock that keeps
// the replica in Redis's order, and the health of the replica.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "redis_script.h"
#include "tollgate/storage/redis/redis_endpoint.h"
#include "tollgate/storage/redis/redis_reply.h"
#include "tollgate/storage/redis/redis_sync_client.h"

namespace tollgate::storage {

// How current this instance's replica is. Lock-free, never does I/O: cheap enough for
// every request.
class ReplicaHealth {
 public:
  // Whether Redis answered the latest command or change-log read.
  bool reachable() const { return reachable_.load(std::memory_order_relaxed); }
  void SetReachable(bool reachable) { reachable_.store(reachable, std::memory_order_relaxed); }

  // The replica matched Redis at `now`; `following`: it keeps matching from here on (the
  // follower has applied every change-log entry so far), until StopFollowing.
  void RecordSync(absl::Time now, bool following);
  void StopFollowing() { following_.store(false); }

  // Zero while following; otherwise how long since the replica last matched Redis.
  absl::Duration Staleness(absl::Time now) const;

 private:
  std::atomic<bool> reachable_ = false;
  std::atomic<bool> following_ = false;
  std::atomic<int64_t> last_sync_unix_nanos_ = 0;
};

class RedisStoreContext {
 public:
  RedisStoreContext(RedisEndpoint endpoint, RedisSyncClientOptions options);

  // As RedisScript::Run and RedisSyncClient's calls; a connection failure also marks Redis
  // unreachable.
  absl::StatusOr<RedisReply> Run(const RedisScript& script, const std::vector<std::string>& keys,
                                 const std::vector<std::string>& args);
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args);
  absl::StatusOr<std::vector<RedisReply>> Commands(
      const std::vector<std::vector<std::string>>& batch);
  absl::StatusOr<std::vector<RedisReply>> Transaction(
      const std::vector<std::vector<std::string>>& batch);

  // Runs a write script that answers "ok" or a refusal word, and returns that word.
  // Internal when the script failed or answered something else; errors as Run otherwise.
  absl::StatusOr<std::string> RunWrite(const RedisScript& script,
                                       const std::vector<std::string>& keys,
                                       const std::vector<std::string>& args);

  // Held across a write's round trip to Redis and its replica update, and across every
  // re-read of a changed object and its replica update. Reads and updates then pair up in
  // the order Redis ran them, so a slow re-read can never overwrite a newer local write.
  // Download-path reads never take it.
  std::mutex& replica_mu() { return replica_mu_; }
  ReplicaHealth& health() { return health_; }

 private:
  template <typename T>
  absl::StatusOr<T> Observe(absl::StatusOr<T> result);

  const RedisEndpoint endpoint_;
  RedisSyncClient client_;
  std::mutex replica_mu_;
  ReplicaHealth health_;
};

}  // namespace tollgate::storage
