// The loop's identity is its execution context's address.
#include "redis_loop_clients.h"

#include "boost/asio/execution/context.hpp"
#include "boost/asio/query.hpp"

namespace tollgate::storage {

RedisAsyncClient& RedisLoopClients::For(const boost::asio::any_io_executor& executor) {
  const void* loop = &boost::asio::query(executor, boost::asio::execution::context);
  std::lock_guard lock(mutex_);
  std::unique_ptr<RedisAsyncClient>& client = clients_[loop];
  if (client == nullptr) client = std::make_unique<RedisAsyncClient>(executor, endpoint_, options_);
  return *client;
}

std::unique_ptr<RedisAsyncClient> RedisLoopClients::Release(
    const boost::asio::execution_context& loop) {
  std::lock_guard lock(mutex_);
  const auto found = clients_.find(&loop);
  if (found == clients_.end()) return nullptr;
  std::unique_ptr<RedisAsyncClient> client = std::move(found->second);
  clients_.erase(found);
  return client;
}

}  // namespace tollgate::storage
