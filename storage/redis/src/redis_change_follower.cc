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
#include "redis_master_address.h"
#include "redis_reply_conversion.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

namespace layout = redis_layout;

// What both scripts need: the fields of XINFO STREAM by name, and stream ids ("MS-SEQ",
// decimal without leading zeros) compared as numbers of any length.
constexpr std::string_view kScriptPrelude = R"lua(
local function stream_info(key)
  local info, found = redis.call('XINFO', 'STREAM', key), {}
  for i = 1, #info, 2 do found[info[i]] = info[i + 1] end
  return found
end
local function less(a, b)
  local a_ms, a_seq = string.match(a, '^(%d+)-(%d+)$')
  local b_ms, b_seq = string.match(b, '^(%d+)-(%d+)$')
  if #a_ms ~= #b_ms then return #a_ms < #b_ms end
  if a_ms ~= b_ms then return a_ms < b_ms end
  if #a_seq ~= #b_seq then return #a_seq < #b_seq end
  return a_seq < b_seq
end
)lua";

// KEYS: the change log, the meta hash. ARGV: the epoch field, an epoch to set when there is
// none. Answers {epoch, id of the newest entry, entries taken}. Streams count the entries
// they took (entries-added) from Redis 7.0 on; REDIS_VERSION_NUM is nil before.
constexpr std::string_view kPositionScript = R"lua(
if (redis.REDIS_VERSION_NUM or 0) < 0x070000 then
  return redis.error_reply('the change log needs Redis 7.0 or later')
end
redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2])
local epoch = redis.call('HGET', KEYS[2], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then return {epoch, '0-0', 0} end
local info = stream_info(KEYS[1])
return {epoch, info['last-generated-id'], info['entries-added']}
)lua";

// KEYS: the change log, the meta hash. ARGV: the epoch field, the reader's epoch, the id of
// the last entry it applied, how many entries the log had taken up to it, how many entries
// to return.
// Answers {'reload', REASON} when the reader must load everything because the log no longer
// says what it missed: another epoch (Redis lost its data, or is another Redis); no log
// although the reader saw entries; a log behind the reader (restored from an older snapshot,
// or a replica promoted before it saw the newest entries); trimmed past the reader; an entry
// after the reader deleted by hand (XDEL); or the reader's own entry gone from where the log
// still keeps entries (rolled back, then rewritten with ids at or below the reader's).
// Otherwise {'entries', [[id, [field, value, ...]], ...]}, in order. One script, so that
// nothing happens between the checks and the read.
constexpr std::string_view kReadScript = R"lua(
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return {'reload', 'epoch'} end
local position, seen = ARGV[3], tonumber(ARGV[4])
if redis.call('EXISTS', KEYS[1]) == 0 then
  if seen == 0 then return {'entries', {}} end
  return {'reload', 'log_missing'}
end
local info = stream_info(KEYS[1])
local added, kept = info['entries-added'], info['length']
if added < seen or less(info['last-generated-id'], position) then
  return {'reload', 'log_behind'}
end
if added - kept > seen then return {'reload', 'log_trimmed'} end
if less(position, info['max-deleted-entry-id']) then return {'reload', 'entry_deleted'} end
local first = info['first-entry']
if seen > 0 and first and not less(position, first[1]) and
    #redis.call('XRANGE', KEYS[1], position, position) == 0 then
  return {'reload', 'log_rewritten'}
end
return {'entries', redis.call('XRANGE', KEYS[1], '(' .. position, '+', 'COUNT', ARGV[5])}
)lua";

// A script with the prelude, as Redis is sent it. EVAL rather than EVALSHA: Redis caches
// the script by its digest either way, and a kilobyte once per wake-up costs nothing next to
// the round trip.
std::string WithPrelude(std::string_view body) { return Concat(kScriptPrelude, body); }

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
    if (fields[i].str == layout::kChangeField) return fields[i + 1].str;
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> ReadChangeLogPositionCommand(std::string new_epoch) {
  return {"EVAL",
          WithPrelude(kPositionScript),
          "2",
          std::string(layout::kChangeLogKey),
          layout::MetaKey(),
          std::string(layout::kChangeLogEpochField),
          std::move(new_epoch)};
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
  return ChangeLogPosition{reply.elements[0].str, reply.elements[1].str, reply.elements[2].integer};
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
  std::chrono::milliseconds backoff = options_.backoff_min;
  for (;;) {
    const bool answered = Follow();
    if (stopping_) return;
    // After a working connection, retry soon; after failed attempts, ever more slowly.
    backoff = answered ? options_.backoff_min : std::min(backoff * 2, options_.backoff_max);
    if (!Sleep(backoff)) return;
  }
}

bool RedisChangeFollower::Follow() {
  // The follower only reads, so a master that was demoted or cut off from the others would
  // never answer it READONLY: it leaves when the Sentinels name another master instead.
  const absl::StatusOr<RedisHostPort> master = CurrentMasterAddress(endpoint_);
  const auto master_moved = [&] {
    const absl::StatusOr<RedisHostPort> now = CurrentMasterAddress(endpoint_);
    return master.ok() && now.ok() && *now != *master;
  };
  absl::StatusOr<RedisContextPtr> connected =
      ConnectRedis(endpoint_, options_.connect_timeout, options_.reply_timeout);
  if (!connected.ok()) {
    callbacks_.on_reachable(false);
    return false;
  }
  redisContext& context = **connected;
  // Named for CLIENT LIST. A server that refuses the name (an ACL without CLIENT) is
  // followed all the same: only an answer matters here.
  if (!Call(context, {"CLIENT", "SETNAME", std::string(kChangeFollowerClientName)},
            Clock::now() + options_.reply_timeout)) {
    callbacks_.on_reachable(false);
    return false;
  }
  callbacks_.on_reachable(true);
  std::chrono::milliseconds trouble_backoff = options_.backoff_min;
  while (!stopping_) {
    std::optional<Step> step = CatchUp(context);
    if (step == Step::kCurrent) {
      callbacks_.on_current();
      // Waits for an entry after the position; the script then reads it, so an XREAD answer
      // is only a wake-up (and, when it times out, the heartbeat).
      const std::vector<std::string> wait = {"XREAD",
                                             "COUNT",
                                             "1",
                                             "BLOCK",
                                             std::to_string(options_.poll_interval.count()),
                                             "STREAMS",
                                             std::string(layout::kChangeLogKey),
                                             position_.last_id};
      const std::optional<RedisReply> woken =
          Call(context, wait, Clock::now() + options_.poll_interval + options_.reply_timeout);
      if (!woken || master_moved()) break;
      step = woken->is_error() ? Trouble(Concat("waiting on the change log: ", woken->str))
                               : Step::kBehind;
    }
    if (!step) break;
    if (*step == Step::kTrouble) {
      if (!Sleep(trouble_backoff)) return true;
      trouble_backoff = std::min(trouble_backoff * 2, options_.backoff_max);
    } else {
      trouble_backoff = options_.backoff_min;
    }
  }
  if (!stopping_) callbacks_.on_reachable(false);
  return true;
}

RedisChangeFollower::Step RedisChangeFollower::Trouble(std::string_view trouble) {
  callbacks_.on_trouble(trouble);
  return Step::kTrouble;
}

std::optional<RedisChangeFollower::Step> RedisChangeFollower::CatchUp(redisContext& context) {
  if (!reload_reason_.empty()) {
    // Loads back to back (a log trimmed faster than a load takes) are spaced out: each one
    // reads everything.
    const auto since =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - last_reload_);
    if (since < options_.backoff_max && !Sleep(options_.backoff_max - since)) return std::nullopt;
    last_reload_ = Clock::now();
    absl::StatusOr<ChangeLogPosition> loaded = callbacks_.reload(reload_reason_);
    if (!loaded.ok()) return Trouble(Concat("loading everything: ", loaded.status().message()));
    position_ = *std::move(loaded);
    reload_reason_.clear();
    failed_batches_ = 0;
  }
  const std::vector<std::string> read = {"EVAL",
                                         WithPrelude(kReadScript),
                                         "2",
                                         std::string(layout::kChangeLogKey),
                                         layout::MetaKey(),
                                         std::string(layout::kChangeLogEpochField),
                                         position_.epoch,
                                         position_.last_id,
                                         std::to_string(position_.entries),
                                         std::to_string(std::max(1, options_.batch_size))};
  const std::optional<RedisReply> answer =
      Call(context, read, Clock::now() + options_.reply_timeout);
  if (!answer) return std::nullopt;
  if (answer->is_error()) return Trouble(Concat("reading the change log: ", answer->str));
  if (answer->type != RedisReply::Type::kArray || answer->elements.size() != 2) {
    return Trouble("reading the change log: an answer of an unknown shape");
  }
  if (answer->elements[0].str == "reload") {
    reload_reason_ = answer->elements[1].str.empty() ? "unknown" : answer->elements[1].str;
    return Step::kBehind;
  }
  const std::vector<RedisReply>& entries = answer->elements[1].elements;
  std::vector<std::string_view> messages;
  messages.reserve(entries.size());
  for (const RedisReply& entry : entries) {
    if (entry.type != RedisReply::Type::kArray || entry.elements.size() != 2) {
      return Trouble("reading the change log: an entry of an unknown shape");
    }
    // An entry without a change message names nothing this version keeps (as a message of
    // a kind it does not know): skipped.
    if (const std::optional<std::string_view> message = EntryMessage(entry)) {
      messages.push_back(*message);
    }
  }
  if (!messages.empty()) {
    if (const absl::Status applied = callbacks_.apply(messages); !applied.ok()) {
      if (++failed_batches_ >= options_.failed_batches_before_reload) {
        reload_reason_ = "apply_failed";
      }
      return Trouble(Concat("applying the change log: ", applied.message()));
    }
  }
  failed_batches_ = 0;
  if (!entries.empty()) {
    position_.last_id = entries.back().elements[0].str;
    position_.entries += static_cast<int64_t>(entries.size());
  }
  return entries.size() < static_cast<size_t>(std::max(1, options_.batch_size)) ? Step::kCurrent
                                                                                : Step::kBehind;
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
      return ToRedisReply(*owned);
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
