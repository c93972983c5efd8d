// Conversion of hiredis replies into RedisReply values.
#include "redis_reply_conversion.h"

#include "tollgate/base/concat.h"

namespace tollgate::storage {

RedisReply ToRedisReply(const redisReply& reply) {
  RedisReply out;
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = reply.integer;
      break;
    case REDIS_REPLY_NIL:
      out.type = RedisReply::Type::kNil;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(reply.elements);
      for (size_t i = 0; i < reply.elements; ++i) {
        out.elements.push_back(ToRedisReply(*reply.element[i]));
      }
      break;
    default:
      // hiredis 0.14 speaks RESP2 only, so this is not expected; reported rather than trusted.
      out.type = RedisReply::Type::kError;
      out.str = Concat("ERR unsupported reply type ", reply.type);
      break;
  }
  return out;
}

}  // namespace tollgate::storage
