// A streamed PUT to an origin on a pooled connection, its last byte held back until Finish.
#pragma once

#include <memory>
#include <string>

#include "origin_pool.h"
#include "tollgate/storage/http_origin.h"

namespace tollgate::storage {

class PooledOriginUpload final : public OriginUpload {
 public:
  // `header` is the complete request header announcing `body_length` bytes.
  PooledOriginUpload(std::shared_ptr<OriginPools> pools, HttpOriginConfig origin,
                     std::string header, uint64_t body_length);
  ~PooledOriginUpload() override;  // closes the connection of an unfinished upload
  PooledOriginUpload(const PooledOriginUpload&) = delete;
  PooledOriginUpload& operator=(const PooledOriginUpload&) = delete;

  boost::asio::awaitable<absl::Status> Write(std::string_view bytes) override;
  boost::asio::awaitable<absl::StatusOr<OriginResponseHead>> Finish() override;

 private:
  // Connects (always a new connection: a streamed body cannot be replayed when a reused one
  // turns out to be stale) and sends the header.
  boost::asio::awaitable<absl::Status> Start();

  std::shared_ptr<OriginPools> pools_;
  HttpOriginConfig origin_;
  std::string header_;
  uint64_t body_length_;
  uint64_t received_ = 0;  // body bytes given to Write
  std::shared_ptr<OriginPool> pool_;
  std::unique_ptr<OriginConnection> connection_;
  std::string held_back_;  // the final body byte, sent by Finish
  absl::Status failed_;    // the first failure; everything after it fails the same way
};

}  // namespace tollgate::storage
