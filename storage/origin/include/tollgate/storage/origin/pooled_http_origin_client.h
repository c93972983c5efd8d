// HttpOriginClient over keep-alive connection pools, one pool per event loop, so that a
// connection is only ever used by the thread that owns it.
#pragma once

#include <functional>
#include <memory>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tollgate/storage/http_origin.h"
#include "tollgate/storage/origin_address.h"

namespace tollgate::storage {

class OriginPools;

class PooledHttpOriginClient final : public HttpOriginClient {
 public:
  // `rule` decides which addresses may be connected to (--origin-allow); `clock` dates
  // signed (S3) requests.
  explicit PooledHttpOriginClient(
      OriginAddressRule rule, std::function<absl::Time()> clock = [] { return absl::Now(); });
  ~PooledHttpOriginClient() override;
  PooledHttpOriginClient(const PooledHttpOriginClient&) = delete;
  PooledHttpOriginClient& operator=(const PooledHttpOriginClient&) = delete;

  boost::asio::awaitable<absl::StatusOr<std::unique_ptr<OriginResponse>>> Send(
      const HttpOriginConfig& origin, OriginRequest request) override;
  boost::asio::awaitable<absl::Status> CheckAddress(const HttpOriginConfig& origin) override;
  std::unique_ptr<OriginUpload> StartUpload(const HttpOriginConfig& origin,
                                            OriginRequest request) override;

 private:
  std::shared_ptr<const OriginAddressRule> rule_;
  std::function<absl::Time()> clock_;
  std::shared_ptr<OriginPools> pools_;
};

}  // namespace tollgate::storage
