// A Lua script run with EVALSHA, sent whole (EVAL) only when Redis lacks it: after a restart
// or a failover emptied its script cache.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tollgate/storage/redis/redis_reply.h"
#include "tollgate/storage/redis/redis_sync_client.h"

namespace tollgate::storage {

class RedisScript {
 public:
  explicit RedisScript(std::string_view source);

  // Runs the script on `keys` and `args`. Errors as RedisSyncClient::Command; an error the
  // script raised is a reply of type kError.
  absl::StatusOr<RedisReply> Run(RedisSyncClient& client, const std::vector<std::string>& keys,
                                 const std::vector<std::string>& args) const;

 private:
  const std::string source_;
  const std::string sha1_;  // lowercase hex, as EVALSHA wants it
};

}  // namespace tollgate::storage
