// The sliding window as a sorted set scored by time, trimmed on every failure.
#include "tollgate/storage/redis/redis_auth_failures.h"

#include <random>

#include "boost/asio/this_coro.hpp"
#include "redis_layout.h"
#include "redis_loop_clients.h"
#include "redis_script.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace asio = boost::asio;

namespace {

// KEYS: the client's failures set, its block marker.
// ARGV: now ms, window ms, max failures, block ms, a unique member for this failure.
// Returns the milliseconds the client stays blocked (0: not blocked), negated when this failure
// started the block.
constexpr std::string_view kRecordFailureScript = R"lua(
local failures, block = KEYS[1], KEYS[2]
local left = redis.call('PTTL', block)
if left > 0 then return left end
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', failures, '-inf', now - window)
redis.call('ZADD', failures, now, ARGV[5])
redis.call('PEXPIRE', failures, window)
if redis.call('ZCARD', failures) <= tonumber(ARGV[3]) then return 0 end
redis.call('DEL', failures)
redis.call('SET', block, '1', 'PX', ARGV[4])
return -tonumber(ARGV[4])
)lua";

}  // namespace

RedisAuthFailures::RedisAuthFailures(RedisEndpoint endpoint, AuthFailureLimits limits,
                                     RedisClientOptions options)
    : limits_(limits),
      local_(limits),
      clients_(std::make_unique<RedisLoopClients>(std::move(endpoint), options)),
      script_(std::make_unique<const RedisScript>(kRecordFailureScript)),
      instance_(std::random_device{}()) {}

RedisAuthFailures::~RedisAuthFailures() = default;

std::optional<absl::Time> RedisAuthFailures::BlockedUntil(std::string_view client,
                                                          absl::Time now) const {
  return local_.BlockedUntil(client, now);
}

asio::awaitable<FailureOutcome> RedisAuthFailures::RecordFailure(std::string client,
                                                                 absl::Time now) {
  RedisAsyncClient& redis = clients_->For(co_await asio::this_coro::executor);
  // Named vectors, not braced lists in the co_await expression (GCC 12 miscompiles those).
  std::vector<std::string> keys = {redis_layout::AuthFailuresKey(client),
                                   redis_layout::AuthBlockKey(client)};
  const AuthFailureLimits limits = limits_.Get();
  std::vector<std::string> args = {
      Concat(absl::ToUnixMillis(now)), Concat(absl::ToInt64Milliseconds(limits.window)),
      Concat(limits.max_failures), Concat(absl::ToInt64Milliseconds(limits.block)),
      Concat(instance_, ':', sequence_.fetch_add(1, std::memory_order_relaxed))};
  absl::StatusOr<RedisReply> reply = co_await script_->Run(redis, std::move(keys), std::move(args));
  if (!reply.ok() || reply->is_error()) co_return local_.Count(client, now);
  if (reply->integer == 0) co_return FailureOutcome{};
  const bool started = reply->integer < 0;
  const absl::Time until = now + absl::Milliseconds(started ? -reply->integer : reply->integer);
  local_.Block(client, until, now);
  co_return FailureOutcome{.blocked_until = until, .block_started = started};
}

}  // namespace tollgate::storage
