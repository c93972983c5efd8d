// One blocking hiredis connection: connecting with deadlines, AUTH/SELECT, I/O errors as
// absl::Status, and SIGPIPE kept away from a process that did not ask for it.
#pragma once

#include <hiredis/hiredis.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tollgate/storage/redis/redis_endpoint.h"

namespace tollgate::storage {

struct RedisContextDeleter {
  void operator()(redisContext* context) const { redisFree(context); }
};
using RedisContextPtr = std::unique_ptr<redisContext, RedisContextDeleter>;

// Connects to `endpoint` within `connect_timeout`, makes every later socket read and write
// give up after `io_timeout`, then sends AUTH and SELECT when the endpoint asks for them.
// Unavailable when the server cannot be reached or drops the connection, DeadlineExceeded
// when it does not answer AUTH/SELECT in time, PermissionDenied when it refuses them.
absl::StatusOr<RedisContextPtr> ConnectRedis(const RedisEndpoint& endpoint,
                                             std::chrono::milliseconds connect_timeout,
                                             std::chrono::milliseconds io_timeout);

// The status for the failure `context` reports after a call that returned REDIS_ERR;
// `saved_errno` is errno right after that call. DeadlineExceeded when a socket timeout
// expired, Unavailable for every other failure.
absl::Status ContextError(const RedisEndpoint& endpoint, const redisContext& context,
                          int saved_errno);

// Queues one command (binary-safe arguments) in `context`'s output buffer. Internal when
// hiredis cannot allocate the buffer.
absl::Status AppendCommand(redisContext& context, const std::vector<std::string>& args);

// While alive, blocks SIGPIPE on this thread, and discards one raised meanwhile: hiredis
// writes with write(2), which raises SIGPIPE on a connection the server closed, and a
// library must not kill a process that did not choose to ignore it.
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock();
  ~ScopedSigpipeBlock();
  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

 private:
  sigset_t previous_mask_;
  bool was_pending_ = false;
};

}  // namespace tollgate::storage
