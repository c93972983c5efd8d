// An origin's answer on a pooled connection, its body read on demand.
#pragma once

#include <memory>
#include <optional>

#include "origin_exchange.h"
#include "origin_pool.h"
#include "tollgate/storage/http_origin.h"

namespace tollgate::storage {

class PooledOriginResponse final : public OriginResponse {
 public:
  // Takes the connection whose answer header `parser` has read.
  PooledOriginResponse(std::shared_ptr<OriginPool> pool,
                       std::unique_ptr<OriginConnection> connection,
                       std::unique_ptr<OriginParser> parser, const HttpOriginConfig& origin);
  ~PooledOriginResponse() override;  // gives the connection back (reusable only when done)
  PooledOriginResponse(const PooledOriginResponse&) = delete;
  PooledOriginResponse& operator=(const PooledOriginResponse&) = delete;

  const OriginResponseHead& head() const override { return head_; }
  boost::asio::awaitable<absl::StatusOr<size_t>> Read(std::span<char> buffer) override;
  boost::asio::awaitable<void> Discard(uint64_t max_bytes) override;

 private:
  // Content-Length bodies: bytes go from the socket straight into the caller's buffer.
  boost::asio::awaitable<absl::StatusOr<size_t>> ReadCounted(std::span<char> buffer);
  // Chunked and close-delimited bodies: the parser decodes into the caller's buffer.
  boost::asio::awaitable<absl::StatusOr<size_t>> ReadParsed(std::span<char> buffer);

  std::shared_ptr<OriginPool> pool_;
  std::unique_ptr<OriginConnection> connection_;
  std::unique_ptr<OriginParser> parser_;
  OriginResponseHead head_;
  std::optional<uint64_t> remaining_;  // set for Content-Length bodies
  bool done_ = false;                  // the whole body has been read
  absl::Duration read_timeout_;
  size_t max_idle_;
};

}  // namespace tollgate::storage
