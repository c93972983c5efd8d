// The follower's thread: connect, then in turn read the entries after the position with one
// script (which also tells when the log cannot say what was missed), apply them, and wait for
// more with XREAD BLOCK; on any failure, back off and start over from the same position.
#include "tollgate/storage/redis/redis_change_follower.h"

#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "hiredis_connection.h"
#include "redis_layout.h"
#include "redis_reply_conversion.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

namespace layout = redis_layout;

// Both scripts compare stream ids ("MS-SEQ") as numbers: a millisecond time fits a Lua
// number exactly.
#define TOLLGATE_STREAM_ID_LESS_LUA                                                   \
  "local function less(a, b)\n"                                                       \
  "  local a_ms, a_seq = string.match(a, '^(%d+)-(%d+)$')\n"                          \
  "  local b_ms, b_seq = string.match(b, '^(%d+)-(%d+)$')\n"                          \
  "  a_ms, a_seq, b_ms, b_seq = tonumber(a_ms), tonumber(a_seq), tonumber(b_ms), tonumber(b_seq)\n" \
  "  return a_ms < b_ms or (a_ms == b_ms and a_seq < b_seq)\n"                        \
  "end\n"

// The fields of XINFO STREAM a reader needs; entries-added is nil before Redis 7.0.
#define TOLLGATE_STREAM_INFO_LUA                                                      \
  "local function stream_info(key)\n"                                                 \
  "  local info, found = redis.call('XINFO', 'STREAM', key), {}\n"                    \
  "  for i = 1, #info, 2 do found[info[i]] = info[i + 1] end\n"                       \
  "  if found['entries-added'] == nil then\n"                                         \
  "    return redis.error_reply('the change log needs Redis 7.0 or later')\n"         \
  "  end\n"                                                                           \
  "  return found\n"                                                                  \
  "end\n"

// KEYS: the change log, the meta hash. ARGV: the epoch field, an epoch to set when there is
// none. Answers {epoch, id of the newest entry, entries taken}.
constexpr std::string_view kPositionScript = TOLLGATE_STREAM_INFO_LUA R"lua(
redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2])
local epoch = redis.call('HGET', KEYS[2], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then return {epoch, '0-0', 0} end
local info = stream_info(KEYS[1])
if info.err then return info end
return {epoch, info['last-generated-id'], info['entries-added']}
)lua";

// KEYS: the change log, the meta hash. ARGV: the epoch field, the reader's epoch, the id of
// the last entry it applied, how many entries the log had taken up to it, how many entries
// to return.
// Answers {'reload'} when the reader must load everything: Redis's epoch is not the one the
// reader loaded (Redis lost its data or is another one), or the log no longer holds every
// entry after the reader's position (trimmed past it), or is behind it (restored from an
// older snapshot, or a replica promoted before it saw the newest entries). Otherwise
// {'entries', [[id, [field, value, ...]], ...]}, in order. One script, so that nothing
// happens between the checks and the read.
constexpr std::string_view kReadScript =
    TOLLGATE_STREAM_ID_LESS_LUA TOLLGATE_STREAM_INFO_LUA R"lua(
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return {'reload'} end
local seen = tonumber(ARGV[4])
if redis.call('EXISTS', KEYS[1]) == 0 then
  if seen == 0 then return {'entries', {}} end
  return {'reload'}
end
local info = stream_info(KEYS[1])
if info.err then return info end
local added, kept = info['entries-added'], info['length']
if added < seen or added - kept > seen or less(info['last-generated-id'], ARGV[3]) then
  return {'reload'}
end
return {'entries', redis.call('XRANGE', KEYS[1], '(' .. ARGV[3], '+', 'COUNT', ARGV[5])}
)lua";

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

// The change message of one XRANGE entry [id, [field, value, ...]], if it has one.
std::optional<std::string_view> EntryMessage(const RedisReply& entry) {
  const std::vector<RedisReply>& fields = entry.elements[1].elements;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    if (fields[i].str == "change") return fields[i + 1].str;
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> ReadChangeLogPositionCommand(std::string new_epoch) {
  return {"EVAL", std::string(kPositionScript), "2", std::string(layout::kChangeLogKey),
          layout::MetaKey(), std::string(layout::kChangeLogEpochField), std::move(new_epoch)};
}

absl::StatusOr<ChangeLogPosition> ChangeLogPositionFromReply(const RedisReply& reply) {
  if (reply.is_error()) {
    return absl::FailedPreconditionError(Concat("redis refused the change log: ", reply.str));
  }
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() != 3 ||
      reply.elements[0].str.empty() || reply.elements[1].str.empty() ||
      reply.elements[2].type != RedisReply::Type::kInteger) {
    return absl::InternalError("redis answered the change log position in an unknown form");
  }
  return ChangeLogPosition{reply.elements[0].str, reply.elements[1].str,
                           reply.elements[2].integer};
}

absl::StatusOr<std::unique_ptr<RedisChangeFollower>> RedisChangeFollower::Start(
    RedisEndpoint endpoint, ChangeLogPosition position, RedisChangeFollowerCallbacks callbacks,
    RedisChangeFollowerOptions options) {
  const int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd < 0) {
    return absl::InternalError(Concat("cannot create an eventfd: ", std::strerror(errno)));
  }
  return std::unique_ptr<RedisChangeFollower>(new RedisChangeFollower(
      std::move(endpoint), std::move(position), std::move(callbacks), options, wake_fd));
}

RedisChangeFollower::RedisChangeFollower(RedisEndpoint endpoint, ChangeLogPosition position,
                                         RedisChangeFollowerCallbacks callbacks,
                                         RedisChangeFollowerOptions options, int wake_fd)
    : endpoint_(std::move(endpoint)),
      callbacks_(std::move(callbacks)),
      options_(options),
      position_(std::move(position)),
      wake_fd_(wake_fd),
      thread_([this] { Run(); }) {}

RedisChangeFollower::~RedisChangeFollower() {
  stopping_ = true;
  const uint64_t one = 1;
  // Cannot fail in a way that matters: the counter is far from overflowing, and the
  // thread also checks stopping_ before each wait.
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(wake_fd_);
}

void RedisChangeFollower::Run() {
  // For the thread's whole life: the server may close the socket under any write.
  ScopedSigpipeBlock no_sigpipe;
  std::chrono::milliseconds backoff = options_.reconnect_backoff_min;
  for (;;) {
    const bool answered = Follow();
    if (stopping_) return;
    // After a working connection, retry soon; after failed attempts, ever more slowly.
    backoff = answered ? options_.reconnect_backoff_min
                       : std::min(backoff * 2, options_.reconnect_backoff_max);
    if (!Sleep(backoff)) return;
  }
}

bool RedisChangeFollower::Follow() {
  absl::StatusOr<RedisContextPtr> connected =
      ConnectRedis(endpoint_, options_.connect_timeout, options_.reply_timeout);
  if (!connected.ok()) {
    callbacks_.on_behind();
    return false;
  }
  redisContext& context = **connected;
  if (!Call(context, {"CLIENT", "SETNAME", std::string(kChangeFollowerClientName)},
            Clock::now() + options_.reply_timeout)) {
    callbacks_.on_behind();
    return false;
  }
  bool answered = false;
  while (!stopping_) {
    const std::optional<bool> current = CatchUp(context);
    if (!current) break;
    answered = true;
    if (!*current) continue;
    callbacks_.on_current();
    // Waits for an entry after the position; the script then reads it, so an XREAD answer
    // is only a wake-up (and, when it times out, the heartbeat).
    const std::vector<std::string> wait = {
        "XREAD", "COUNT", "1", "BLOCK", std::to_string(options_.poll_interval.count()),
        "STREAMS", std::string(layout::kChangeLogKey), position_.last_id};
    if (!Call(context, wait, Clock::now() + options_.poll_interval + options_.reply_timeout)) {
      break;
    }
  }
  if (!stopping_) callbacks_.on_behind();
  return answered;
}

std::optional<bool> RedisChangeFollower::CatchUp(redisContext& context) {
  if (needs_reload_) {
    absl::StatusOr<ChangeLogPosition> loaded = callbacks_.reload();
    if (!loaded.ok()) return std::nullopt;
    position_ = *std::move(loaded);
    needs_reload_ = false;
  }
  // EVAL rather than EVALSHA: Redis caches the script by its digest either way, and the
  // few hundred bytes once per wake-up cost nothing next to the round trip.
  const std::vector<std::string> read = {
      "EVAL", std::string(kReadScript), "2", std::string(layout::kChangeLogKey),
      layout::MetaKey(), std::string(layout::kChangeLogEpochField), position_.epoch,
      position_.last_id, std::to_string(position_.entries), std::to_string(options_.batch_size)};
  const std::optional<RedisReply> answer =
      Call(context, read, Clock::now() + options_.reply_timeout);
  if (!answer) return std::nullopt;
  if (answer->type != RedisReply::Type::kArray || answer->elements.empty()) return std::nullopt;
  if (answer->elements[0].str == "reload") {
    needs_reload_ = true;
    return false;
  }
  if (answer->elements.size() != 2) return std::nullopt;
  const std::vector<RedisReply>& entries = answer->elements[1].elements;
  std::vector<std::string_view> messages;
  messages.reserve(entries.size());
  for (const RedisReply& entry : entries) {
    if (entry.type != RedisReply::Type::kArray || entry.elements.size() != 2) return std::nullopt;
    // An entry without a change message names nothing this version keeps (as a message of
    // a kind it does not know): skipped.
    if (const std::optional<std::string_view> message = EntryMessage(entry)) {
      messages.push_back(*message);
    }
  }
  if (!messages.empty() && !callbacks_.apply(messages).ok()) return std::nullopt;
  if (!entries.empty()) {
    position_.last_id = entries.back().elements[0].str;
    position_.entries += static_cast<int64_t>(entries.size());
  }
  return entries.size() < static_cast<size_t>(options_.batch_size);
}

std::optional<RedisReply> RedisChangeFollower::Call(redisContext& context,
                                                    const std::vector<std::string>& command,
                                                    Clock::time_point deadline) {
  if (!AppendCommand(context, command).ok() || !Flush(context)) return std::nullopt;
  for (;;) {
    void* raw = nullptr;
    if (redisGetReplyFromReader(&context, &raw) != REDIS_OK) return std::nullopt;
    if (raw != nullptr) {
      std::unique_ptr<redisReply, ReplyDeleter> owned(static_cast<redisReply*>(raw));
      RedisReply reply = ToRedisReply(*owned);
      if (reply.type == RedisReply::Type::kError) return std::nullopt;
      return reply;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || stopping_) return std::nullopt;
    pollfd fds[2] = {{context.fd, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) return std::nullopt;
    if (fds[1].revents != 0) return std::nullopt;
    // POLLHUP and POLLERR end here too: the read then reports what happened.
    if (fds[0].revents != 0 && redisBufferRead(&context) != REDIS_OK) return std::nullopt;
  }
}

bool RedisChangeFollower::Sleep(std::chrono::milliseconds duration) const {
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
