// Requests to origins: pooled connection, header out, answer header in, one retry when a
// reused keep-alive connection turns out to have been closed by the origin.
#include "tollgate/storage/origin/pooled_http_origin_client.h"

#include "boost/asio/this_coro.hpp"
#include "origin_exchange.h"
#include "origin_lookup.h"
#include "origin_pool.h"
#include "origin_wire.h"
#include "pooled_origin_response.h"
#include "pooled_origin_upload.h"

namespace tollgate::storage {
namespace asio = boost::asio;

PooledHttpOriginClient::PooledHttpOriginClient(OriginAddressRule rule,
                                               std::function<absl::Time()> clock)
    : rule_(std::make_shared<const OriginAddressRule>(std::move(rule))),
      clock_(std::move(clock)),
      pools_(std::make_shared<OriginPools>(rule_)) {}

PooledHttpOriginClient::~PooledHttpOriginClient() = default;

asio::awaitable<absl::StatusOr<std::unique_ptr<OriginResponse>>> PooledHttpOriginClient::Send(
    const HttpOriginConfig& origin, OriginRequest request) {
  const std::shared_ptr<OriginPool> pool = pools_->For(co_await asio::this_coro::executor);
  const bool is_head = request.method == "HEAD";
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<std::unique_ptr<OriginConnection>> connection =
        co_await pool->Acquire(origin, /*allow_reuse=*/attempt == 0);
    if (!connection.ok()) co_return connection.status();
    OriginConnection& wire = **connection;
    // Signed requests carry their time, so the header is built for each attempt.
    const std::string header = OriginRequestHeader(origin, request, clock_());
    bool nothing_received = true;
    absl::Status failure = co_await WriteToOrigin(wire, header, origin.read_timeout);
    if (failure.ok()) {
      absl::StatusOr<std::unique_ptr<OriginParser>> parser =
          co_await ReadOriginAnswerHeader(wire, is_head, origin.read_timeout, nothing_received);
      if (parser.ok()) {
        co_return std::make_unique<PooledOriginResponse>(pool, *std::move(connection),
                                                         *std::move(parser), origin);
      }
      failure = parser.status();
    }
    // An origin may close an idle keep-alive connection just as we reuse it: the request
    // then fails before any answer byte, and is safe to send again on a new connection.
    const bool stale = wire.reused && nothing_received && !absl::IsDeadlineExceeded(failure);
    pool->Release(*std::move(connection), /*reusable=*/false, 0);
    if (!stale || attempt > 0) co_return failure;
  }
}

asio::awaitable<absl::Status> PooledHttpOriginClient::CheckAddress(const HttpOriginConfig& origin) {
  absl::StatusOr<OriginEndpoints> endpoints =
      co_await LookUpOrigin(co_await asio::this_coro::executor, origin, *rule_);
  co_return endpoints.status();
}

std::unique_ptr<OriginUpload> PooledHttpOriginClient::StartUpload(const HttpOriginConfig& origin,
                                                                  OriginRequest request) {
  request.method = "PUT";
  std::string header = OriginRequestHeader(origin, request, clock_());
  return std::make_unique<PooledOriginUpload>(pools_, origin, std::move(header),
                                              request.body_length);
}

}  // namespace tollgate::storage
