// Copies a hiredis reply into an owning RedisReply, so it outlives hiredis's reply object.
#pragma once

#include <hiredis/hiredis.h>

#include "tollgate/storage/redis/redis_reply.h"

namespace tollgate::storage {

// Converts `reply` and its elements (recursively; hiredis's reader bounds the nesting depth).
// Never fails: a type this client does not know becomes a kError reply saying so.
RedisReply ToRedisReply(const redisReply& reply);

}  // namespace tollgate::storage
