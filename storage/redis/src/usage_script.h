// The Lua script behind RedisUsageLedger::Reserve: DecideReservation, atomically in Redis.
#pragma once

#include <cstddef>
#include <string_view>

namespace tollgate::storage {

// Reserves a batch of downloads, in order, in one call: the reservations one event loop
// gathered during a turn. Each takes 4 KEYS — usage hash, clients set, recent-download marker,
// periods set (one hash tag per token; a batch mixes tokens, which a single Redis or a
// Sentinel group allows and Redis Cluster would not) — and 10 ARGV — client, bytes,
// max_downloads, max_clients, max_bytes (-1: unlimited), dedupe window ms, now µs, expire-at
// ms (0: never), period, check only ("1": decide, record nothing).
// Returns one result per reservation: 0 granted, 1 download limit, 2 client limit,
// 3 bandwidth limit, or the error that reservation raised (a damaged key), which leaves the
// others' results as they are. Its checks read every key but the periods set before it writes.
inline constexpr size_t kReserveKeys = 4;
inline constexpr size_t kReserveArgs = 10;
inline constexpr std::string_view kReserveScript = R"lua(
-- A stored counter, which this script rewrites: digits only and below 2^53, where Lua's
-- doubles stop being exact. Anything else is a damaged key, and fails its reservation.
local function counter(stored)
  if not stored then return 0 end
  local value = string.match(stored, '^%d+$') and tonumber(stored)
  if not value or value >= 9007199254740992 then error('usage counter is not a count') end
  return value
end
local function reserve(k, a)
  local usage, clients, recent, periods = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
  local client = ARGV[a + 1]
  local bytes = tonumber(ARGV[a + 2])
  local max_downloads = tonumber(ARGV[a + 3])
  local max_clients, max_bytes = tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5])
  local dedupe_ms, expire_at = tonumber(ARGV[a + 6]), tonumber(ARGV[a + 8])
  local is_repeat = dedupe_ms > 0 and redis.call('EXISTS', recent) == 1
  local client_known = redis.call('SISMEMBER', clients, client) == 1
  local counters = redis.call('HMGET', usage, 'downloads', 'bandwidth')
  local downloads, used = counter(counters[1]), counter(counters[2])
  if not is_repeat and max_downloads >= 0 and downloads >= max_downloads then return 1 end
  if not client_known and max_clients >= 0 and redis.call('SCARD', clients) >= max_clients then
    return 2
  end
  if max_bytes >= 0 and used + bytes > max_bytes then return 3 end
  if ARGV[a + 10] == '1' then return 0 end
  if not is_repeat then downloads = downloads + 1 end
  used = used + bytes
  if used >= 9007199254740992 then error('usage counter would pass 2^53') end
  -- One write for the three fields: the script holds Redis, so the counters read above are
  -- current. '%d' prints them whole.
  redis.call('HSET', usage, 'downloads', string.format('%d', downloads),
             'bandwidth', string.format('%d', used), 'last', ARGV[a + 7])
  if not client_known then redis.call('SADD', clients, client) end
  -- Every time, not only for a new usage hash: a hash the write-behind or an interrupted
  -- Forget left unnamed is named again, so the next Forget finds it.
  redis.call('SADD', periods, ARGV[a + 9])
  if dedupe_ms > 0 and not is_repeat then redis.call('SET', recent, '1', 'PX', dedupe_ms) end
  if expire_at > 0 then
    redis.call('PEXPIREAT', usage, expire_at)
    redis.call('PEXPIREAT', clients, expire_at)
  end
  return 0
end
local results = {}
for i = 0, #KEYS / 4 - 1 do
  local ok, result = pcall(reserve, 4 * i, 10 * i)
  if not ok then
    result = redis.error_reply(type(result) == 'table' and result.err or tostring(result))
  end
  results[i + 1] = result
end
return results
)lua";

// Deletes a token's usage in one atomic step: KEYS periods set, events list; ARGV the prefixes
// of its usage and clients keys, to which each period is appended. Atomic, so a reservation
// cannot land between the read of the set and the deletes and keep a period's usage alive.
inline constexpr std::string_view kForgetScript = R"lua(
for _, period in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  redis.call('DEL', ARGV[1] .. period, ARGV[2] .. period)
end
return redis.call('DEL', KEYS[1], KEYS[2])
)lua";

}  // namespace tollgate::storage
