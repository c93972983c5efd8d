// The Lua script behind RedisUsageLedger::Reserve: DecideReservation, atomically in Redis.
#pragma once

#include <string_view>

namespace tollgate::storage {

// KEYS: usage hash, clients set, recent-download marker, periods set (one hash tag).
// ARGV: client, bytes, max_downloads, max_clients, max_bytes (-1: unlimited), dedupe window
// ms, now µs, expire-at ms (0: never), period, check only ("1": decide, record nothing).
// Returns 0 granted, 1 download limit, 2 client limit, 3 bandwidth limit.
inline constexpr std::string_view kReserveScript = R"lua(
local usage, clients, recent, periods = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local client = ARGV[1]
local bytes = tonumber(ARGV[2])
local max_downloads, max_clients, max_bytes = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local dedupe_ms, expire_at = tonumber(ARGV[6]), tonumber(ARGV[8])
local is_repeat = dedupe_ms > 0 and redis.call('EXISTS', recent) == 1
local client_known = redis.call('SISMEMBER', clients, client) == 1
local downloads = tonumber(redis.call('HGET', usage, 'downloads') or '0')
if not is_repeat and max_downloads >= 0 and downloads >= max_downloads then return 1 end
if not client_known and max_clients >= 0 and redis.call('SCARD', clients) >= max_clients then
  return 2
end
local used = tonumber(redis.call('HGET', usage, 'bandwidth') or '0')
if max_bytes >= 0 and used + bytes > max_bytes then return 3 end
if ARGV[10] == '1' then return 0 end
if not is_repeat then redis.call('HINCRBY', usage, 'downloads', 1) end
redis.call('HINCRBY', usage, 'bandwidth', bytes)
redis.call('HSET', usage, 'last', ARGV[7])
redis.call('SADD', clients, client)
redis.call('SADD', periods, ARGV[9])
if dedupe_ms > 0 and not is_repeat then redis.call('SET', recent, '1', 'PX', dedupe_ms) end
if expire_at > 0 then
  redis.call('PEXPIREAT', usage, expire_at)
  redis.call('PEXPIREAT', clients, expire_at)
end
return 0
)lua";

}  // namespace tollgate::storage
