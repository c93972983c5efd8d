// Body reads of an origin answer, one socket read per call so that a slow client (which
// stops calling) slows the origin down through TCP flow control.
#include "pooled_origin_response.h"

#include <array>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/buffer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/http/error.hpp"
#include "boost/beast/http/read.hpp"

namespace tollgate::storage {
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
}  // namespace

PooledOriginResponse::PooledOriginResponse(std::shared_ptr<OriginPool> pool,
                                           std::unique_ptr<OriginConnection> connection,
                                           std::unique_ptr<OriginParser> parser,
                                           const HttpOriginConfig& origin)
    : pool_(std::move(pool)),
      connection_(std::move(connection)),
      parser_(std::move(parser)),
      head_(HeadOf(*parser_)),
      read_timeout_(origin.read_timeout),
      max_idle_(origin.max_idle) {
  done_ = parser_->is_done();  // HEAD, 204, 304 and friends have no body
  if (!done_ && head_.content_length) remaining_ = *head_.content_length;
}

PooledOriginResponse::~PooledOriginResponse() {
  pool_->Release(std::move(connection_), done_ && parser_->keep_alive(), max_idle_);
}

asio::awaitable<absl::StatusOr<size_t>> PooledOriginResponse::Read(std::span<char> buffer) {
  if (done_ || buffer.empty()) co_return 0;
  if (remaining_) co_return co_await ReadCounted(buffer);
  co_return co_await ReadParsed(buffer);
}

asio::awaitable<void> PooledOriginResponse::Discard(uint64_t max_bytes) {
  if (!remaining_ || *remaining_ > max_bytes) co_return;
  std::array<char, 4096> scratch;
  for (;;) {
    absl::StatusOr<size_t> got = co_await Read(scratch);
    if (!got.ok() || *got == 0) co_return;  // a failed read leaves the connection to close
  }
}

asio::awaitable<absl::StatusOr<size_t>> PooledOriginResponse::ReadCounted(std::span<char> buffer) {
  const size_t wanted = static_cast<size_t>(std::min<uint64_t>(buffer.size(), *remaining_));
  size_t got = 0;
  if (connection_->buffer.size() > 0) {  // body bytes that came with the header
    got = asio::buffer_copy(asio::buffer(buffer.data(), wanted), connection_->buffer.data());
    connection_->buffer.consume(got);
  } else {
    connection_->stream.expires_after(absl::ToChronoNanoseconds(read_timeout_));
    auto [ec, bytes] =
        co_await connection_->stream.async_read_some(asio::buffer(buffer.data(), wanted), kNoThrow);
    if (ec) co_return OriginTransportError(ec, "reading the body", *connection_);
    got = bytes;
  }
  *remaining_ -= got;
  done_ = *remaining_ == 0;
  co_return got;
}

asio::awaitable<absl::StatusOr<size_t>> PooledOriginResponse::ReadParsed(std::span<char> buffer) {
  for (;;) {
    http::buffer_body::value_type& body = parser_->get().body();
    body.data = buffer.data();
    body.size = buffer.size();
    connection_->stream.expires_after(absl::ToChronoNanoseconds(read_timeout_));
    auto [ec, bytes] = co_await http::async_read_some(connection_->stream, connection_->buffer,
                                                      *parser_, kNoThrow);
    // need_buffer only says the caller's buffer is full: a successful read.
    if (ec && ec != http::error::need_buffer) {
      co_return OriginTransportError(ec, "reading the body", *connection_);
    }
    const size_t got = buffer.size() - body.size;
    done_ = parser_->is_done();
    // A read may consume only chunk framing; keep going until there are bytes or the end.
    if (got > 0 || done_) co_return got;
  }
}

}  // namespace tollgate::storage
