// Listens on one Redis pub/sub channel from a thread of its own, with a connection of its
// own, reconnecting with backoff and checking the connection with a PING heartbeat.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/statusor.h"
#include "tollgate/storage/redis/redis_endpoint.h"

struct redisContext;

namespace tollgate::storage {

struct RedisSubscriberOptions {
  std::chrono::milliseconds connect_timeout{1000};
  // How often an idle connection is checked with PING, and how long the PONG may take
  // before the connection counts as lost (a peer that vanished without closing).
  std::chrono::milliseconds heartbeat_interval{1000};
  std::chrono::milliseconds heartbeat_timeout{1000};
  std::chrono::milliseconds reconnect_backoff_min{50};
  std::chrono::milliseconds reconnect_backoff_max{2000};
};

// All must be set. They run on the subscriber's thread, one at a time; while one runs,
// messages wait.
struct RedisSubscriberCallbacks {
  // Each message published on the channel, in publication order.
  std::function<void(std::string_view message)> on_message;
  // true once subscribed, after every (re)connect; false when the subscription is lost.
  // Messages published while not subscribed are lost for good: a listener that needs them
  // all must catch up by other means on every true.
  std::function<void(bool subscribed)> on_subscription;
  // Redis answered a heartbeat PING: the subscription was alive just now.
  std::function<void()> on_heartbeat;
};

class RedisSubscriber {
 public:
  // Starts the thread, which connects, subscribes to `channel` and runs `callbacks` until
  // the subscriber is destroyed; connection failures are retried with exponential backoff
  // for as long. No callback runs inline. Internal when the thread's wake-up descriptor
  // cannot be created.
  static absl::StatusOr<std::unique_ptr<RedisSubscriber>> Start(
      RedisEndpoint endpoint, std::string channel, RedisSubscriberCallbacks callbacks,
      RedisSubscriberOptions options = {});
  // Stops the thread promptly: at once when idle, after the running callback otherwise.
  ~RedisSubscriber();
  RedisSubscriber(const RedisSubscriber&) = delete;
  RedisSubscriber& operator=(const RedisSubscriber&) = delete;

 private:
  RedisSubscriber(RedisEndpoint endpoint, std::string channel, RedisSubscriberCallbacks callbacks,
                  RedisSubscriberOptions options, int wake_fd);

  void Run();
  // One connection's life: returns once it is lost or the subscriber stops. True when it
  // got as far as subscribing.
  bool Listen();
  // Handles everything hiredis has already read; false when the stream is corrupt.
  bool DrainReplies(redisContext& context, bool& ping_outstanding);
  // Sleeps for `duration` unless stopped first; false when stopped.
  bool Sleep(std::chrono::milliseconds duration) const;

  const RedisEndpoint endpoint_;
  const std::string channel_;
  const RedisSubscriberCallbacks callbacks_;
  const RedisSubscriberOptions options_;
  // An eventfd the destructor writes to, so poll() returns at once.
  const int wake_fd_;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses
};

}  // namespace tollgate::storage
