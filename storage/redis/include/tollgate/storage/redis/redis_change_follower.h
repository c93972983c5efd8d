// Follows the Redis change log (see redis_layout.h) from a thread of its own, with a
// connection of its own: reads the entries after the last one applied, in order, waits for
// new ones with a blocking XREAD, and asks for a full load only when the log cannot say what
// was missed. Reconnects with backoff and resumes from where it stood; behind Sentinels, also
// when they name another master.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tollgate/storage/redis/redis_endpoint.h"
#include "tollgate/storage/redis/redis_reply.h"

struct redisContext;

namespace tollgate::storage {

// The follower's connection is named so (CLIENT SETNAME): operators see it in CLIENT LIST.
inline constexpr std::string_view kChangeFollowerClientName = "tollgate-changelog";

// Where a reader stands in the change log: the epoch of the Redis data it loaded, the id of
// the last entry it has applied ("0-0" before the first entry of an empty log), and how many
// entries the log had taken up to that one. The count is what tells a trimmed log from a
// complete one: trimming drops the oldest entries, so entries after the position are lost
// exactly when the log has dropped more entries than the reader has seen.
struct ChangeLogPosition {
  std::string epoch;
  std::string last_id = "0-0";
  int64_t entries = 0;

  bool operator==(const ChangeLogPosition&) const = default;
};

// The command, to run before a full load (in its MULTI, if any), that reads where the log
// stands, first making `new_epoch` Redis's epoch when it has none (an empty or lost Redis).
// It writes that epoch, so it runs on the master.
std::vector<std::string> ReadChangeLogPositionCommand(std::string new_epoch);
// The position from that command's answer. FailedPrecondition with Redis's words when Redis
// refused it (older than 7.0, whose streams do not count the entries they took, or an ACL
// without the commands it needs); Internal for an answer of another shape.
absl::StatusOr<ChangeLogPosition> ChangeLogPositionFromReply(const RedisReply& reply);

struct RedisChangeFollowerOptions {
  std::chrono::milliseconds connect_timeout{1000};
  // How long one XREAD waits for a new entry: Redis answering it is the heartbeat that
  // shows the follower is still current.
  std::chrono::milliseconds poll_interval{1000};
  // How long an answer may take beyond that before the connection counts as lost (a peer
  // that vanished without closing).
  std::chrono::milliseconds reply_timeout{1000};
  // Entries read and applied per round trip (at least 1).
  int batch_size = 1000;
  // Waits after a lost connection or a failure, doubling up to the maximum; the maximum is
  // also the least time between two full loads.
  std::chrono::milliseconds backoff_min{50};
  std::chrono::milliseconds backoff_max{2000};
  // Consecutive failures to apply one batch (Redis answering) after which everything is
  // loaded instead.
  int failed_batches_before_reload = 3;
};

// All must be set. They run on the follower's thread, one at a time.
struct RedisChangeFollowerCallbacks {
  // Loads everything, because of `reason` (a word: epoch, log_missing, log_behind,
  // log_trimmed, entry_deleted, log_rewritten, apply_failed), and returns the position read
  // (atomically) before loading, from which following replays whatever changed during the
  // load. An error is retried after the backoff.
  std::function<absl::StatusOr<ChangeLogPosition>(std::string_view reason)> reload;
  // The change messages of a batch of entries, in log order. Applying one again must be
  // harmless (it is: each names an object to re-read). An error holds following up before
  // the batch, which is applied again after the backoff.
  std::function<absl::Status(std::span<const std::string_view> messages)> apply;
  // Redis answered (true), or the connection to it failed or was lost (false).
  std::function<void(bool reachable)> on_reachable;
  // Every entry up to now is applied: the follower is current. Often (every poll_interval
  // when idle), so it must be cheap.
  std::function<void()> on_current;
  // Following is held up although Redis answers: an error reply, a failed load or batch;
  // `trouble` says which, with the error. Until the next on_current the follower is behind.
  std::function<void(std::string_view trouble)> on_trouble;
};

class RedisChangeFollower {
 public:
  // Starts the thread, which follows the log from `position` until the follower is
  // destroyed. Internal when the thread's wake-up descriptor cannot be created.
  static absl::StatusOr<std::unique_ptr<RedisChangeFollower>> Start(
      RedisEndpoint endpoint, ChangeLogPosition position, RedisChangeFollowerCallbacks callbacks,
      RedisChangeFollowerOptions options = {});
  // Stops the thread: at once when it waits on Redis or a backoff; a connection attempt
  // (up to connect_timeout per step) or a running callback (a full load) ends first.
  ~RedisChangeFollower();
  RedisChangeFollower(const RedisChangeFollower&) = delete;
  RedisChangeFollower& operator=(const RedisChangeFollower&) = delete;

 private:
  using Clock = std::chrono::steady_clock;
  // Where one round of catching up left the follower.
  enum class Step { kCurrent, kBehind, kTrouble };

  RedisChangeFollower(RedisEndpoint endpoint, ChangeLogPosition position,
                      RedisChangeFollowerCallbacks callbacks, RedisChangeFollowerOptions options,
                      int wake_fd);

  void Run();
  // One connection's life: returns once it is lost or the follower stops. True when Redis
  // answered on it.
  bool Follow();
  // Loads everything when that is due, then reads the entries after position_ (or learns
  // that a load is due) and applies them. nullopt when the connection failed.
  std::optional<Step> CatchUp(redisContext& context);
  // Reports `trouble` and returns kTrouble.
  Step Trouble(std::string_view trouble);
  // Sends `command` and waits for its answer, an error reply included, until `deadline`;
  // nullopt when the connection failed, the deadline passed or the follower is stopping.
  std::optional<RedisReply> Call(redisContext& context, const std::vector<std::string>& command,
                                 Clock::time_point deadline);
  // Sleeps for `duration` unless stopped first; false when stopped.
  bool Sleep(std::chrono::milliseconds duration) const;

  const RedisEndpoint endpoint_;
  const RedisChangeFollowerCallbacks callbacks_;
  const RedisChangeFollowerOptions options_;
  // The thread alone uses these once started.
  ChangeLogPosition position_;
  std::string reload_reason_;  // non-empty: a full load is due, for this reason
  Clock::time_point last_reload_;
  int failed_batches_ = 0;
  // An eventfd the destructor writes to, so poll() returns at once.
  const int wake_fd_;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses
};

}  // namespace tollgate::storage
