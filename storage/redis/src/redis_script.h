// A Lua script run with EVALSHA, sent whole (EVAL) only when Redis lacks it: after a restart
// or a failover emptied its script cache.
#pragma once

#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "boost/asio/awaitable.hpp"
#include "script_arguments.h"
#include "tollgate/storage/redis/redis_async_client.h"
#include "tollgate/storage/redis/redis_reply.h"
#include "tollgate/storage/redis/redis_sync_client.h"

namespace tollgate::storage {

// Lowercase hex SHA-1 of `text`: how Redis names scripts.
std::string Sha1Hex(std::string_view text);
// The same of `parts` one after the other, without allocating: a short digest for key names,
// made on every counted download.
std::array<char, 40> Sha1HexDigits(std::initializer_list<std::string_view> parts);

class RedisScript {
 public:
  explicit RedisScript(std::string_view source);

  // Runs the script on `keys` and `args`. Errors as RedisSyncClient::Command; an error the
  // script raised is a reply of type kError.
  absl::StatusOr<RedisReply> Run(RedisSyncClient& client, const std::vector<std::string>& keys,
                                 const std::vector<std::string>& args) const;
  // The same on an event loop; completes on `client`'s executor, errors as its Command.
  boost::asio::awaitable<absl::StatusOr<RedisReply>> Run(RedisAsyncClient& client,
                                                         std::vector<std::string> keys,
                                                         std::vector<std::string> args) const;
  // The same without copying `keys` and `args`, which must stay unchanged until it completes.
  boost::asio::awaitable<absl::StatusOr<RedisReply>> Run(RedisAsyncClient& client,
                                                         const ScriptArguments& keys,
                                                         const ScriptArguments& args) const;

 private:
  // EVALSHA sha1 numkeys keys… args…
  std::vector<std::string> EvalSha(const std::vector<std::string>& keys,
                                   const std::vector<std::string>& args) const;
  // Turns an EVALSHA command into the EVAL that also caches the script.
  void SendWhole(std::vector<std::string>& command) const;

  const std::string source_;
  const std::string sha1_;  // lowercase hex, as EVALSHA wants it
};

}  // namespace tollgate::storage
