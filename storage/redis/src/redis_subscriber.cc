// The subscriber's thread: connect, SUBSCRIBE, then poll the connection and a wake-up
// eventfd, PINGing when idle; on any failure, back off and start over.
#include "tollgate/storage/redis/redis_subscriber.h"

#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "hiredis_connection.h"
#include "redis_reply_conversion.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

using Clock = std::chrono::steady_clock;

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};

// Writes everything hiredis has queued; the socket's send timeout bounds the wait.
bool Flush(redisContext& context) {
  int done = 0;
  do {
    if (redisBufferWrite(&context, &done) != REDIS_OK) return false;
  } while (done == 0);
  return true;
}

// A push of the subscribed connection: ["message", channel, payload], ["pong", ""], ….
bool IsPush(const RedisReply& reply, std::string_view kind) {
  return reply.type == RedisReply::Type::kArray && !reply.elements.empty() &&
         reply.elements.front().str == kind;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisSubscriber>> RedisSubscriber::Start(
    RedisEndpoint endpoint, std::string channel, RedisSubscriberCallbacks callbacks,
    RedisSubscriberOptions options) {
  const int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd < 0) {
    return absl::InternalError(Concat("cannot create an eventfd: ", std::strerror(errno)));
  }
  return std::unique_ptr<RedisSubscriber>(new RedisSubscriber(
      std::move(endpoint), std::move(channel), std::move(callbacks), options, wake_fd));
}

RedisSubscriber::RedisSubscriber(RedisEndpoint endpoint, std::string channel,
                                 RedisSubscriberCallbacks callbacks, RedisSubscriberOptions options,
                                 int wake_fd)
    : endpoint_(std::move(endpoint)),
      channel_(std::move(channel)),
      callbacks_(std::move(callbacks)),
      options_(options),
      wake_fd_(wake_fd),
      thread_([this] { Run(); }) {}

RedisSubscriber::~RedisSubscriber() {
  stopping_ = true;
  const uint64_t one = 1;
  // Cannot fail in a way that matters: the counter is far from overflowing, and the
  // thread also checks stopping_ before each wait.
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(wake_fd_);
}

void RedisSubscriber::Run() {
  // For the thread's whole life: the server may close the socket under any write.
  ScopedSigpipeBlock no_sigpipe;
  std::chrono::milliseconds backoff = options_.reconnect_backoff_min;
  for (;;) {
    const bool subscribed = Listen();
    if (stopping_) return;
    // After a working connection, retry soon; after failed attempts, ever more slowly.
    backoff = subscribed ? options_.reconnect_backoff_min
                         : std::min(backoff * 2, options_.reconnect_backoff_max);
    if (!Sleep(backoff)) return;
  }
}

bool RedisSubscriber::Listen() {
  absl::StatusOr<RedisContextPtr> connected =
      ConnectRedis(endpoint_, options_.connect_timeout, options_.heartbeat_timeout);
  if (!connected.ok()) return false;
  redisContext& context = **connected;
  if (!AppendCommand(context, {"SUBSCRIBE", channel_}).ok()) return false;
  void* raw = nullptr;
  if (redisGetReply(&context, &raw) != REDIS_OK) return false;
  std::unique_ptr<redisReply, ReplyDeleter> confirmation(static_cast<redisReply*>(raw));
  if (!IsPush(ToRedisReply(*confirmation), "subscribe")) return false;
  callbacks_.on_subscription(true);

  Clock::time_point next_ping = Clock::now() + options_.heartbeat_interval;
  Clock::time_point ping_deadline;
  bool ping_outstanding = false;
  for (;;) {
    const bool was_outstanding = ping_outstanding;
    if (!DrainReplies(context, ping_outstanding)) break;
    if (stopping_) return true;
    const Clock::time_point now = Clock::now();
    if (was_outstanding && !ping_outstanding) next_ping = now + options_.heartbeat_interval;
    if (ping_outstanding && now >= ping_deadline) break;
    if (!ping_outstanding && now >= next_ping) {
      if (!AppendCommand(context, {"PING"}).ok() || !Flush(context)) break;
      ping_outstanding = true;
      ping_deadline = now + options_.heartbeat_timeout;
    }
    const Clock::time_point wake_at = ping_outstanding ? ping_deadline : next_ping;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake_at - Clock::now());
    pollfd fds[2] = {{context.fd, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(std::max<int64_t>(0, wait.count())));
    if (ready < 0 && errno != EINTR) break;
    if (fds[1].revents != 0) return true;
    // POLLHUP and POLLERR end here too: the read then reports what happened.
    if (fds[0].revents != 0 && redisBufferRead(&context) != REDIS_OK) break;
  }
  callbacks_.on_subscription(false);
  return true;
}

bool RedisSubscriber::DrainReplies(redisContext& context, bool& ping_outstanding) {
  for (;;) {
    void* raw = nullptr;
    if (redisGetReplyFromReader(&context, &raw) != REDIS_OK) return false;
    if (raw == nullptr) return true;
    std::unique_ptr<redisReply, ReplyDeleter> owned(static_cast<redisReply*>(raw));
    const RedisReply reply = ToRedisReply(*owned);
    if (IsPush(reply, "message") && reply.elements.size() == 3) {
      callbacks_.on_message(reply.elements[2].str);
    } else if (IsPush(reply, "pong")) {
      ping_outstanding = false;
      callbacks_.on_heartbeat();
    }
    if (stopping_) return true;
  }
}

bool RedisSubscriber::Sleep(std::chrono::milliseconds duration) const {
  const Clock::time_point until = Clock::now() + duration;
  while (!stopping_) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return true;
    pollfd wake = {wake_fd_, POLLIN, 0};
    if (::poll(&wake, 1, static_cast<int>(left.count())) > 0) return false;
  }
  return false;
}

}  // namespace tollgate::storage
