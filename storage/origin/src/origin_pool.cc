// Idle-connection reuse, the repositories' shares of the pool, and connecting with a deadline.
#include "origin_pool.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "absl/time/time.h"
#include "boost/asio/as_tuple.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/core/error.hpp"
#include "origin_lookup.h"
#include "origin_wire.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace asio = boost::asio;
using std::chrono::steady_clock;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// Idle connections older than this are not reused: origins close idle keep-alive
// connections on their own schedule (nginx after 75 s, S3 after about 20 s).
constexpr auto kMaxIdleAge = std::chrono::seconds(15);

// True when the origin has neither closed an idle connection nor sent stray bytes on it.
bool LooksOpen(OriginConnection& connection) {
  char byte;
  const ssize_t peeked =
      ::recv(connection.stream.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

OriginPool::~OriginPool() = default;

asio::awaitable<absl::StatusOr<std::unique_ptr<OriginConnection>>> OriginPool::Acquire(
    const HttpOriginConfig& origin, bool allow_reuse) {
  const std::string key = OriginAuthority(origin, /*always_port=*/true);
  Origin& bucket = origins_[key];
  const std::string holder_key = Concat(origin.org, "/", origin.repository);
  // References into the node maps stay valid: this holder is not forgotten while it waits
  // or holds, and buckets are never erased.
  const auto entry = bucket.holders.try_emplace(holder_key).first;
  Holder& holder = entry->second;
  holder.org = origin.org;
  holder.limit = origin.max_connections;  // the repository's latest configuration
  const auto give_up = steady_clock::now() + absl::ToChronoNanoseconds(origin.connect_timeout);
  for (;;) {
    if (MayTakeMore(bucket, holder)) {
      while (allow_reuse && !bucket.idle.empty()) {
        std::unique_ptr<OriginConnection> connection = std::move(bucket.idle.back());
        bucket.idle.pop_back();
        if (steady_clock::now() - connection->idle_since < kMaxIdleAge && LooksOpen(*connection)) {
          connection->reused = true;
          connection->holder = holder_key;
          ++holder.held;
          co_return connection;
        }
        Close(bucket, std::move(connection));
      }
      if (bucket.open < Capacity(bucket)) break;
      // A caller that needs a new connection (a retry, an upload) takes the slot of an idle one.
      if (!bucket.idle.empty()) {
        Close(bucket, std::move(bucket.idle.front()));
        bucket.idle.erase(bucket.idle.begin());
        continue;
      }
    }
    if (steady_clock::now() >= give_up) {
      const size_t held = holder.held;
      ForgetIfUnused(bucket, holder_key);
      WakeOne(bucket);  // this caller no longer waiting may free another org's share
      co_return absl::DeadlineExceededError(Concat("no connection to ", key, " became free for ",
                                                   holder_key, " in time (", held,
                                                   " in use by it, ", bucket.open, " open)"));
    }
    // Release wakes a waiter by cancelling its timer; the timer's expiry is the deadline for
    // getting a connection at all.
    asio::steady_timer wake(executor_, give_up);
    ++holder.waiting;
    bucket.waiters.push_back(Waiter{&wake, &entry->first});
    co_await wake.async_wait(kNoThrow);
    bucket.waiters.remove_if([&wake](const Waiter& waiter) { return waiter.wake == &wake; });
    --holder.waiting;
  }
  ++bucket.open;
  ++holder.held;
  absl::StatusOr<std::unique_ptr<OriginConnection>> connected = co_await Connect(origin, key);
  if (!connected.ok()) {
    --bucket.open;
    --holder.held;
    ForgetIfUnused(bucket, holder_key);
    WakeOne(bucket);
    co_return connected;
  }
  (*connected)->holder = holder_key;
  co_return connected;
}

asio::awaitable<absl::StatusOr<std::unique_ptr<OriginConnection>>> OriginPool::Connect(
    const HttpOriginConfig& origin, const std::string& key) {
  absl::StatusOr<OriginEndpoints> endpoints = co_await LookUpOrigin(executor_, origin, *rule_);
  if (!endpoints.ok()) co_return endpoints.status();
  auto connection = std::make_unique<OriginConnection>(executor_, key);
  connection->stream.expires_after(absl::ToChronoNanoseconds(origin.connect_timeout));
  // Only the checked addresses are tried: nothing resolves the name a second time.
  auto [ec, endpoint] = co_await connection->stream.async_connect(*endpoints, kNoThrow);
  if (ec == boost::beast::error::timeout) {
    co_return absl::DeadlineExceededError(Concat("connecting to ", key, " timed out"));
  }
  if (ec) co_return absl::UnavailableError(Concat("cannot connect to ", key, ": ", ec.message()));
  connection->stream.expires_never();
  boost::system::error_code ignored;  // only a latency optimisation
  connection->stream.socket().set_option(asio::ip::tcp::no_delay(true), ignored);
  co_return connection;
}

void OriginPool::Release(std::unique_ptr<OriginConnection> connection, bool reusable,
                         size_t max_idle) {
  Origin& bucket = origins_[connection->origin_key];
  if (const auto holder = bucket.holders.find(connection->holder); holder != bucket.holders.end()) {
    --holder->second.held;
    ForgetIfUnused(bucket, connection->holder);
  }
  connection->holder.clear();
  if (reusable && connection->buffer.size() == 0 && bucket.idle.size() < max_idle) {
    connection->stream.expires_never();
    connection->idle_since = steady_clock::now();
    bucket.idle.push_back(std::move(connection));
    WakeOne(bucket);
    return;
  }
  Close(bucket, std::move(connection));
}

void OriginPool::Close(Origin& bucket, std::unique_ptr<OriginConnection> connection) {
  boost::system::error_code ignored;  // the origin may have closed it already
  connection->stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  connection->stream.close();
  --bucket.open;
  WakeOne(bucket);
}

size_t OriginPool::Capacity(const Origin& bucket) {
  size_t capacity = 0;
  for (const auto& [key, holder] : bucket.holders) capacity = std::max(capacity, holder.limit);
  return capacity;
}

bool OriginPool::MayTakeMore(const Origin& bucket, const Holder& holder) {
  if (holder.held >= holder.limit) return false;
  if (holder.held < std::max<size_t>(1, Capacity(bucket) / 2)) return true;
  // At half the pool or more, a repository takes no more while another org's repository
  // waits for a connection it may have (one waiting only on its own limit does not count).
  for (const auto& [key, other] : bucket.holders) {
    if (other.org != holder.org && other.waiting > 0 && other.held < other.limit) return false;
  }
  return true;
}

void OriginPool::ForgetIfUnused(Origin& bucket, const std::string& key) {
  const auto holder = bucket.holders.find(key);
  if (holder != bucket.holders.end() && holder->second.held == 0 && holder->second.waiting == 0) {
    bucket.holders.erase(holder);
  }
}

void OriginPool::WakeOne(Origin& bucket) {
  for (auto waiter = bucket.waiters.begin(); waiter != bucket.waiters.end(); ++waiter) {
    const auto holder = bucket.holders.find(*waiter->holder);
    if (holder != bucket.holders.end() && MayTakeMore(bucket, holder->second)) {
      waiter->wake->cancel();
      bucket.waiters.erase(waiter);
      return;
    }
  }
}

std::shared_ptr<OriginPool> OriginPools::For(const asio::any_io_executor& executor) {
  const void* context = &asio::query(executor, asio::execution::context);
  std::lock_guard lock(mu_);
  std::shared_ptr<OriginPool>& pool = pools_[context];
  if (pool == nullptr) pool = std::make_shared<OriginPool>(executor, rule_);
  return pool;
}

}  // namespace tollgate::storage
