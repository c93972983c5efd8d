// The keep-alive connections of one event loop to HTTP origins: reuse of idle connections,
// each repository's share of an origin's connections with a bounded wait for a free slot,
// and connecting with a deadline to checked addresses only. Used only on its event loop's
// thread, so it needs no locks.
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
  std::string holder;                // "org/repo" while in use; "" while idle
  bool reused = false;               // served an earlier exchange
  std::chrono::steady_clock::time_point idle_since;
};

// How an origin's connections are shared on one event loop. The pool for a host is as large
// as the largest max_connections of the repositories using it at the moment. A repository
// holds at most its own max_connections of it, and at most half of it while a repository of
// another org waits for a connection, so one org's traffic cannot take the whole pool.
class OriginPool {
 public:
  OriginPool(boost::asio::any_io_executor executor, std::shared_ptr<const OriginAddressRule> rule)
      : executor_(std::move(executor)), rule_(std::move(rule)) {}
  ~OriginPool();
  OriginPool(const OriginPool&) = delete;
  OriginPool& operator=(const OriginPool&) = delete;

  // A connection to `origin` for the repository origin.org/origin.repository: the most
  // recently used idle one that still looks open (when `allow_reuse`), else a new one, once
  // the repository's share allows it. Waits up to the connect timeout for that, then
  // DeadlineExceeded; DeadlineExceeded when connecting takes longer; PermissionDenied when the
  // --origin-allow rule refuses an address of the host; Unavailable when the host cannot be
  // resolved or refuses the connection.
  boost::asio::awaitable<absl::StatusOr<std::unique_ptr<OriginConnection>>> Acquire(
      const HttpOriginConfig& origin, bool allow_reuse);

  // Takes a connection back after an exchange. Kept for reuse when `reusable` and fewer than
  // `max_idle` of its origin are idle; closed otherwise. Lets a waiter look again either way.
  void Release(std::unique_ptr<OriginConnection> connection, bool reusable, size_t max_idle);

 private:
  // A repository using an origin: present while it holds or waits for a connection.
  struct Holder {
    std::string org;
    size_t limit = 0;    // its max_connections
    size_t held = 0;     // connections in use (idle ones belong to nobody)
    size_t waiting = 0;  // Acquire calls waiting for a slot
  };
  struct Waiter {
    boost::asio::steady_timer* wake;
    const std::string* holder;  // the key of its Holder, which outlives the wait
  };
  struct Origin {
    std::vector<std::unique_ptr<OriginConnection>> idle;  // most recently used last
    size_t open = 0;                                      // idle and in use
    std::unordered_map<std::string, Holder> holders;      // by "org/repo"
    std::list<Waiter> waiters;                            // oldest first
  };

  boost::asio::awaitable<absl::StatusOr<std::unique_ptr<OriginConnection>>> Connect(
      const HttpOriginConfig& origin, const std::string& key);
  void Close(Origin& bucket, std::unique_ptr<OriginConnection> connection);
  // The size of the pool: the largest limit of the repositories present.
  static size_t Capacity(const Origin& bucket);
  // True when `holder` may take one more connection (idle or new) under its share.
  static bool MayTakeMore(const Origin& bucket, const Holder& holder);
  // Forgets `key` once it neither holds nor waits.
  static void ForgetIfUnused(Origin& bucket, const std::string& key);
  // Lets the oldest waiter whose share allows one more connection look again.
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
