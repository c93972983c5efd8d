// UsageLedger on Redis, shared by every instance: each reservation is one Lua script call
// (EVALSHA, falling back to EVAL after a script-cache flush) over keys that share the
// token's hash tag; usage of unlimited tokens and events are batched and flushed often.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "boost/asio/any_io_executor.hpp"
#include "tollgate/storage/redis/redis_async_client.h"
#include "tollgate/storage/usage_ledger.h"

namespace tollgate::storage {

class RedisScript;

class RedisUsageLedger final : public UsageLedger {
 public:
  RedisUsageLedger(RedisEndpoint endpoint, RedisClientOptions options = {},
                   absl::Duration flush_interval = absl::Milliseconds(250));
  // Destroy while the event loops that used it still exist (stopped is fine), since each
  // loop's Redis client is closed here.
  ~RedisUsageLedger() override;

  // Starts the batch flusher on `executor` (one single-threaded io_context). Call once
  // before serving; batched usage stays local until then.
  void StartFlushing(boost::asio::any_io_executor executor);

  boost::asio::awaitable<absl::StatusOr<ReservationResult>> Reserve(
      const Reservation& reservation) override;
  void Record(const Reservation& reservation) override;
  void AddEvent(const std::string& token, const UsageEvent& event) override;
  boost::asio::awaitable<absl::StatusOr<UsageSnapshot>> Read(std::string token,
                                                             std::string period) override;
  boost::asio::awaitable<absl::StatusOr<std::vector<UsageEvent>>> Events(std::string token,
                                                                         size_t limit) override;
  boost::asio::awaitable<absl::Status> Forget(std::string token) override;

  // Writes the pending batch now, on the caller's executor. Unavailable when Redis cannot
  // be reached (the batch is kept for the next try).
  boost::asio::awaitable<absl::Status> Flush();

 private:
  struct PendingUsage {
    int64_t downloads = 0;
    uint64_t bandwidth = 0;
    absl::Time last_downloaded_at;
    std::optional<absl::Time> period_end;
    std::vector<std::string> clients;
  };
  struct Batch {
    absl::flat_hash_map<std::pair<std::string, std::string>, PendingUsage> usage;
    absl::flat_hash_map<std::string, std::vector<UsageEvent>> events;
  };

  // The client of the calling thread's event loop, created on first use.
  RedisAsyncClient& Client(const boost::asio::any_io_executor& executor);
  boost::asio::awaitable<void> FlushLoop();
  // Adds this instance's unflushed batch to usage read from Redis, so its own downloads
  // show at once.
  struct StoredUsage {
    UsageSnapshot usage;
    absl::flat_hash_set<std::string> clients;  // kept so a batch merges without double counts
  };
  // Usage from the replies of HMGET downloads bandwidth last, and SMEMBERS of the clients.
  static StoredUsage ParseUsage(const RedisReply& counters, const RedisReply& clients);
  UsageSnapshot WithPending(const std::string& token, const std::string& period,
                            StoredUsage stored);

  const RedisEndpoint endpoint_;
  const RedisClientOptions options_;
  const absl::Duration flush_interval_;
  const std::unique_ptr<const RedisScript> reserve_script_;  // the reservation (Lua)

  std::mutex clients_mu_;
  absl::flat_hash_map<const void*, std::unique_ptr<RedisAsyncClient>> clients_;

  std::mutex batch_mu_;
  Batch batch_;
  // Repeats inside the dedupe window of unlimited tokens, judged per instance.
  absl::flat_hash_map<std::string, absl::Time> recent_records_;
};

}  // namespace tollgate::storage
