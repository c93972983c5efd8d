// One RedisAsyncClient per event loop, made on first use from that loop: Redis users on the
// download path share no connection, and so no lock, between threads.
#pragma once

#include <memory>
#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "boost/asio/any_io_executor.hpp"
#include "boost/asio/execution_context.hpp"
#include "tollgate/storage/redis/redis_async_client.h"

namespace tollgate::storage {

class RedisLoopClients {
 public:
  RedisLoopClients(RedisEndpoint endpoint, RedisClientOptions options)
      : endpoint_(std::move(endpoint)), options_(options) {}

  // Destroy while the event loops that used it still exist (stopped is fine): each client
  // closes on its loop's objects.
  ~RedisLoopClients() = default;

  // The client of the loop behind `executor` (a single-threaded io_context's).
  RedisAsyncClient& For(const boost::asio::any_io_executor& executor);

  // Hands over the client of `loop`, if it has one, so the caller can end it while that loop
  // still exists (a private loop that is about to go).
  std::unique_ptr<RedisAsyncClient> Release(const boost::asio::execution_context& loop);

 private:
  const RedisEndpoint endpoint_;
  const RedisClientOptions options_;
  std::mutex mutex_;
  absl::flat_hash_map<const void*, std::unique_ptr<RedisAsyncClient>> clients_;  // by loop
};

}  // namespace tollgate::storage
