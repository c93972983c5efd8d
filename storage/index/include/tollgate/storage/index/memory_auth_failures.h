// AuthFailures of one instance, in memory: the embedded store's, and the Redis one's fallback
// while Redis cannot be reached.
#pragma once

#include <mutex>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "tollgate/storage/auth_failures.h"
#include "tollgate/storage/index/blocked_clients.h"

namespace tollgate::storage {

class MemoryAuthFailures final : public AuthFailures {
 public:
  // At most `max_clients` clients' recent failures are remembered: when full, those whose
  // failures all left the window are dropped, and when that frees less than a quarter of the
  // room the counts start afresh (blocks are kept) — so a flood from many addresses cannot
  // grow memory, and each sweep pays for a quarter of the inserts that follow it.
  explicit MemoryAuthFailures(AuthFailureLimits limits, size_t max_clients = 100'000);

  std::optional<absl::Time> BlockedUntil(std::string_view client, absl::Time now) const override;
  size_t BlockedCount(absl::Time now) const override { return blocked_.Count(now); }
  void SetLimits(const AuthFailureLimits& limits) override { limits_.Set(limits); }
  boost::asio::awaitable<FailureOutcome> RecordFailure(std::string client, absl::Time now) override;

  // RecordFailure without the coroutine, for callers that are not on an event loop.
  FailureOutcome Count(std::string_view client, absl::Time now);

  // Blocks `client` until `until`, as another instance decided.
  void Block(std::string_view client, absl::Time until, absl::Time now) {
    blocked_.Block(client, until, now);
  }

 private:
  LiveAuthFailureLimits limits_;
  const size_t max_clients_;
  BlockedClients blocked_;
  std::mutex mutex_;
  // Each client's failures inside the window, oldest first; at most max_failures of them.
  absl::flat_hash_map<std::string, std::vector<absl::Time>> failures_;  // guarded by mutex_
};

}  // namespace tollgate::storage
