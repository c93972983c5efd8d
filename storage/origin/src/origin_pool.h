// The keep-alive connections of one event loop to HTTP origins: reuse of idle connections,
// a cap on open ones per origin with a bounded wait for a free slot, and connecting with a
// deadline to checked addresses only. Used only on its event loop's thread, so it needs no locks.
#pragma once

#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "boost/asio/any_io_executor.hpp"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "tollgate/storage/http_origin.h"
#include "tollgate/storage/origin_address.h"

namespace tollgate::storage {

// Largest response header (and read-ahead) kept per connection.
inline constexpr size_t kOriginReadBufferBytes = 32 * 1024;

struct OriginConnection {
  explicit OriginConnection(const boost::asio::any_io_executor& executor, std::string key)
      : stream(executor), buffer(kOriginReadBufferBytes), origin_key(std::move(key)) {}

  boost::beast::tcp_stream stream;
  boost::beast::flat_buffer buffer;  // bytes read but not yet parsed
  std::string origin_key;            // "host:port", the pool's bucket
  bool reused = false;               // served an earlier exchange
  std::chrono::steady_clock::time_point idle_since;
};

class OriginPool {
 public:
  OriginPool(boost::asio::any_io_executor executor, std::shared_ptr<const OriginAddressRule> rule)
      : executor_(std::move(executor)), rule_(std::move(rule)) {}
  ~OriginPool();
  OriginPool(const OriginPool&) = delete;
  OriginPool& operator=(const OriginPool&) = delete;

  // A connection to `origin`: the most recently used idle one that still looks open (when
  // `allow_reuse`), else a new one once fewer than max_connections are open. Waits up to the
  // connect timeout for a slot, then DeadlineExceeded; DeadlineExceeded when connecting takes
  // longer; PermissionDenied when the --origin-allow rule refuses an address of the host;
  // Unavailable when the host cannot be resolved or refuses the connection.
  boost::asio::awaitable<absl::StatusOr<std::unique_ptr<OriginConnection>>> Acquire(
      const HttpOriginConfig& origin, bool allow_reuse);

  // Takes a connection back after an exchange. Kept for reuse when `reusable` and fewer than
  // `max_idle` of its origin are idle; closed otherwise. Wakes one waiter either way.
  void Release(std::unique_ptr<OriginConnection> connection, bool reusable, size_t max_idle);

 private:
  struct Origin {
    std::vector<std::unique_ptr<OriginConnection>> idle;  // most recently used last
    size_t open = 0;                                      // idle and in use
    std::list<boost::asio::steady_timer*> waiters;        // oldest first
  };

  boost::asio::awaitable<absl::StatusOr<std::unique_ptr<OriginConnection>>> Connect(
      const HttpOriginConfig& origin, const std::string& key);
  void Close(Origin& bucket, std::unique_ptr<OriginConnection> connection);
  // Lets the oldest waiter for a slot of `bucket` look again.
  static void WakeOne(Origin& bucket);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<const OriginAddressRule> rule_;
  // A node map: coroutines keep references to their bucket across suspensions.
  std::unordered_map<std::string, Origin> origins_;
};

// One OriginPool per event loop, created on first use from that loop. Thread-safe.
class OriginPools {
 public:
  explicit OriginPools(std::shared_ptr<const OriginAddressRule> rule) : rule_(std::move(rule)) {}

  // The pool of the event loop that runs `executor`.
  std::shared_ptr<OriginPool> For(const boost::asio::any_io_executor& executor);

 private:
  std::shared_ptr<const OriginAddressRule> rule_;
  std::mutex mu_;
  std::unordered_map<const void*, std::shared_ptr<OriginPool>> pools_;  // by execution context
};

}  // namespace tollgate::storage
