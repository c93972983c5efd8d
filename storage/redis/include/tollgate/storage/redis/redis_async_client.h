// hiredis's redisAsyncContext driven by an Asio io_context: one client per event-loop
// thread, commands as awaitables with a deadline each, automatic reconnect with backoff.
// Commands issued before the loop next polls leave in one write (free pipelining).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "boost/asio/any_io_executor.hpp"
#include "boost/asio/awaitable.hpp"
#include "tollgate/storage/redis/redis_endpoint.h"
#include "tollgate/storage/redis/redis_reply.h"

namespace tollgate::storage {

struct RedisClientOptions {
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{1000};
  std::chrono::milliseconds reconnect_backoff_min{50};
  std::chrono::milliseconds reconnect_backoff_max{2000};
};

class RedisAsyncClient {
 public:
  // Starts connecting on `executor` (a single-threaded io_context's). Must be used and
  // destroyed on that executor's thread.
  RedisAsyncClient(boost::asio::any_io_executor executor, RedisEndpoint endpoint,
                   RedisClientOptions options = {});
  ~RedisAsyncClient();
  RedisAsyncClient(const RedisAsyncClient&) = delete;
  RedisAsyncClient& operator=(const RedisAsyncClient&) = delete;

  // Sends one command (binary-safe arguments). Completes on the client's executor with the
  // reply (a Redis error reply is a reply of type kError, not a failed status), or
  // Unavailable when not connected or the connection dropped before the reply, or
  // DeadlineExceeded when no reply came within command_timeout (the connection is then
  // dropped and re-established, since hiredis cannot cancel one command).
  boost::asio::awaitable<absl::StatusOr<RedisReply>> Command(std::vector<std::string> args);
  // The same without copying the arguments: the bytes `args` views must stay valid until the
  // command completes (co_await it in the statement that calls it).
  boost::asio::awaitable<absl::StatusOr<RedisReply>> CommandOfViews(
      std::vector<std::string_view> args);

  // True while a connection is established (and authenticated/selected).
  bool connected() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with in-flight hiredis callbacks
};

}  // namespace tollgate::storage
