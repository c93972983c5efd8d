// A blocking Redis connection that threads share one call at a time: for admin writes and
// for loading the stores' replica, never for the download path.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tollgate/storage/redis/redis_endpoint.h"
#include "tollgate/storage/redis/redis_reply.h"

struct redisContext;

namespace tollgate::storage {

struct RedisSyncClientOptions {
  std::chrono::milliseconds connect_timeout{1000};
  // Bounds every socket read and write of a call, so a hung server fails the call instead
  // of holding its caller.
  std::chrono::milliseconds command_timeout{1000};
};

class RedisSyncClient {
 public:
  // Connects lazily, on the first call.
  explicit RedisSyncClient(RedisEndpoint endpoint, RedisSyncClientOptions options = {});
  ~RedisSyncClient();
  RedisSyncClient(const RedisSyncClient&) = delete;
  RedisSyncClient& operator=(const RedisSyncClient&) = delete;

  // Sends one command (binary-safe arguments) and waits for its reply. A Redis error reply
  // is a reply of type kError, not a failed status. Unavailable when Redis cannot be
  // reached or the connection broke, DeadlineExceeded when the reply did not come within
  // command_timeout, PermissionDenied when AUTH/SELECT are refused; after any of these the
  // connection is dropped and the next call connects again.
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args);

  // Sends `batch` as one pipeline and returns one reply per command, in order. Errors as
  // Command; after one, some of the commands may have run.
  absl::StatusOr<std::vector<RedisReply>> Commands(
      const std::vector<std::vector<std::string>>& batch);

  // Runs `batch` atomically between MULTI and EXEC (one round trip) and returns the reply
  // of each command. Errors as Commands, and Internal when Redis refuses the transaction
  // (a malformed command); then none of them ran.
  absl::StatusOr<std::vector<RedisReply>> Transaction(
      const std::vector<std::vector<std::string>>& batch);

 private:
  struct ContextDeleter {
    void operator()(redisContext* context) const;
  };

  absl::StatusOr<std::vector<RedisReply>> RunLocked(
      const std::vector<std::vector<std::string>>& batch);

  const RedisEndpoint endpoint_;
  const RedisSyncClientOptions options_;
  // One call at a time: a connection carries one request/reply stream.
  std::mutex mu_;
  std::unique_ptr<redisContext, ContextDeleter> context_;  // null while disconnected
};

}  // namespace tollgate::storage
