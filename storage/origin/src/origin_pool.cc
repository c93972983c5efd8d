// Idle-connection reuse, the open-connection cap and connecting with a deadline.
#include "origin_pool.h"

#include <sys/socket.h>

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
  const auto give_up = steady_clock::now() + absl::ToChronoNanoseconds(origin.connect_timeout);
  for (;;) {
    while (allow_reuse && !bucket.idle.empty()) {
      std::unique_ptr<OriginConnection> connection = std::move(bucket.idle.back());
      bucket.idle.pop_back();
      if (steady_clock::now() - connection->idle_since < kMaxIdleAge && LooksOpen(*connection)) {
        connection->reused = true;
        co_return connection;
      }
      Close(bucket, std::move(connection));
    }
    if (bucket.open < origin.max_connections) break;
    // A caller that needs a new connection (a retry, an upload) takes the slot of an idle one.
    if (!bucket.idle.empty()) {
      Close(bucket, std::move(bucket.idle.front()));
      bucket.idle.erase(bucket.idle.begin());
      continue;
    }
    if (steady_clock::now() >= give_up) {
      co_return absl::DeadlineExceededError(
          Concat("all ", origin.max_connections, " connections to ", key, " stayed busy"));
    }
    // Release wakes the oldest waiter by cancelling its timer; the timer's expiry is the
    // deadline for getting a slot at all.
    asio::steady_timer wake(executor_, give_up);
    bucket.waiters.push_back(&wake);
    co_await wake.async_wait(kNoThrow);
    bucket.waiters.remove(&wake);
  }
  ++bucket.open;
  absl::StatusOr<std::unique_ptr<OriginConnection>> connected = co_await Connect(origin, key);
  if (!connected.ok()) {
    --bucket.open;
    WakeOne(bucket);
  }
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

void OriginPool::WakeOne(Origin& bucket) {
  if (bucket.waiters.empty()) return;
  bucket.waiters.front()->cancel();
  bucket.waiters.pop_front();
}

std::shared_ptr<OriginPool> OriginPools::For(const asio::any_io_executor& executor) {
  const void* context = &asio::query(executor, asio::execution::context);
  std::lock_guard lock(mu_);
  std::shared_ptr<OriginPool>& pool = pools_[context];
  if (pool == nullptr) pool = std::make_shared<OriginPool>(executor, rule_);
  return pool;
}

}  // namespace tollgate::storage
