// AuthFailures shared by every instance on one Redis: each invalid credential is one Lua call
// over the client's sliding-window set; a block is a key with an expiry. Each instance also
// remembers the blocks it learnt of, so a blocked client's next request — valid credentials
// or not — is refused without asking Redis; another instance learns of a block on that
// client's first failure there.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "tollgate/storage/auth_failures.h"
#include "tollgate/storage/index/memory_auth_failures.h"
#include "tollgate/storage/redis/redis_async_client.h"

namespace tollgate::storage {

class RedisLoopClients;
class RedisScript;

class RedisAuthFailures final : public AuthFailures {
 public:
  RedisAuthFailures(RedisEndpoint endpoint, AuthFailureLimits limits,
                    RedisClientOptions options = {});
  // Destroy while the event loops that used it still exist (stopped is fine).
  ~RedisAuthFailures() override;

  std::optional<absl::Time> BlockedUntil(std::string_view client, absl::Time now) const override;
  size_t BlockedCount(absl::Time now) const override { return local_.BlockedCount(now); }
  void SetLimits(const AuthFailureLimits& limits) override {
    limits_.Set(limits);
    local_.SetLimits(limits);
  }
  // Counts in Redis; while Redis cannot be reached, in this instance alone.
  boost::asio::awaitable<FailureOutcome> RecordFailure(std::string client, absl::Time now) override;

 private:
  LiveAuthFailureLimits limits_;
  // The blocks this instance knows, and the count while Redis is away.
  MemoryAuthFailures local_;
  const std::unique_ptr<RedisLoopClients> clients_;
  const std::unique_ptr<const RedisScript> script_;
  // Makes each failure a distinct member of the window set across instances.
  const uint64_t instance_;
  std::atomic<uint64_t> sequence_{0};
};

}  // namespace tollgate::storage
