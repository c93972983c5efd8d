// UsageLedger on Redis, shared by every instance: each reservation is one Lua script call
// (EVALSHA, falling back to EVAL after a script-cache flush) over keys that share the
// token's hash tag; usage of unlimited tokens and events are batched and flushed often, and
// kept within a memory budget while Redis cannot be reached.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "boost/asio/any_io_executor.hpp"
#include "tollgate/storage/redis/redis_async_client.h"
#include "tollgate/storage/usage_ledger.h"

namespace tollgate::storage {

class RedisLoopClients;
class RedisScript;
class ReservationBatcher;
class UsageBatch;

// What the ledger holds for Redis while it cannot write there, and who hears of overflows.
struct UsageBacklog {
  // Byte budgets of the batched usage and events (docs/architecture.md explains the sizes).
  size_t usage_bytes = size_t{8} << 20;
  size_t event_bytes = size_t{8} << 20;
  // Called once when the batch starts dropping (true) and once when a flush has written it
  // whole again (false), with the totals dropped so far. Runs on the thread that saw the
  // change, outside the ledger's locks; must not block.
  std::function<void(bool overflowing, const UsageDrops& dropped)> on_overflow;
};

class RedisUsageLedger final : public UsageLedger {
 public:
  static constexpr absl::Duration kDefaultFlushInterval = absl::Milliseconds(250);

  RedisUsageLedger(RedisEndpoint endpoint, RedisClientOptions options = {},
                   absl::Duration flush_interval = kDefaultFlushInterval,
                   UsageBacklog backlog = {});
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
  // Runs a flush on a private event loop of the calling thread. A flush the stopped loops
  // left unfinished is redone first: its batch was never confirmed.
  absl::Status FlushAndWait(absl::Duration timeout) override;
  UsageDrops Dropped() const override;

  // Writes the pending batch now, on the caller's executor. Unavailable when Redis cannot
  // be reached (the batch is kept for the next try, within its budget), FailedPrecondition
  // while another flush is under way.
  boost::asio::awaitable<absl::Status> Flush();

 private:
  boost::asio::awaitable<void> FlushLoop();
  // The reservation batcher of the loop behind `executor`, made on first use.
  ReservationBatcher& BatcherFor(const boost::asio::any_io_executor& executor);
  // The commands that write `batch`, in order.
  static std::vector<std::vector<std::string>> WriteCommands(const UsageBatch& batch);
  // Counts `drops`; the totals when they start an overflow (to report), else nullopt.
  // Needs batch_mu_.
  std::optional<UsageDrops> CountDrops(const UsageDrops& drops);
  void ReportOverflow(bool overflowing, const std::optional<UsageDrops>& totals) const;
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

  const int wait_replicas_;
  // One client per event loop that uses the ledger.
  const std::unique_ptr<RedisLoopClients> clients_;
  const absl::Duration flush_interval_;
  const std::unique_ptr<const RedisScript> reserve_script_;  // the reservation (Lua)
  const std::unique_ptr<const RedisScript> forget_script_;   // Forget's deletes (Lua)
  // One per event loop that reserves; declared after the clients and the script they use,
  // so they go first.
  std::mutex batchers_mu_;
  absl::flat_hash_map<const void*, std::unique_ptr<ReservationBatcher>> batchers_;
  const UsageBacklog backlog_;

  mutable std::mutex batch_mu_;
  const std::unique_ptr<UsageBatch> batch_;
  // The batch a flush is writing: put back when the write fails, and by FlushAndWait when
  // the loop that was writing it stopped first.
  std::unique_ptr<UsageBatch> in_flight_;
  UsageDrops dropped_;
  bool overflowing_ = false;
  // Repeats inside the dedupe window of unlimited tokens, judged per instance, by a digest of
  // token, period, client and path; at most kMaxRecentRecords of them.
  absl::flat_hash_map<uint64_t, absl::Time> recent_records_;
};

}  // namespace tollgate::storage
