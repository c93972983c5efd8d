// Writes and header reads towards an origin, with per-operation deadlines.
#include "origin_exchange.h"

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/buffer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/error.hpp"
#include "boost/beast/http/error.hpp"
#include "boost/beast/http/read.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
}  // namespace

absl::Status OriginTransportError(const boost::system::error_code& ec, std::string_view doing,
                                  const OriginConnection& connection) {
  if (ec == boost::beast::error::timeout) {
    return absl::DeadlineExceededError(
        Concat(connection.origin_key, " made no progress in time while ", doing));
  }
  if (ec.category() == http::make_error_code(http::error::bad_version).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return absl::UnavailableError(
        Concat(connection.origin_key, " sent malformed HTTP (", ec.message(), ")"));
  }
  return absl::UnavailableError(Concat(connection.origin_key, ": ", doing, ": ", ec.message()));
}

asio::awaitable<absl::Status> WriteToOrigin(OriginConnection& connection, std::string_view bytes,
                                            absl::Duration timeout) {
  connection.stream.expires_after(absl::ToChronoNanoseconds(timeout));
  auto [ec, written] = co_await asio::async_write(
      connection.stream, asio::buffer(bytes.data(), bytes.size()), kNoThrow);
  if (ec) co_return OriginTransportError(ec, "sending the request", connection);
  co_return absl::OkStatus();
}

asio::awaitable<absl::StatusOr<std::unique_ptr<OriginParser>>> ReadOriginAnswerHeader(
    OriginConnection& connection, bool is_head, absl::Duration timeout, bool& nothing_received) {
  // Interim answers (100 Continue, 103 Early Hints) come before the real one on the same
  // connection; a few are normal, an endless stream of them is a broken origin.
  constexpr int kMaxInterimAnswers = 8;
  connection.stream.expires_after(absl::ToChronoNanoseconds(timeout));
  for (int answer = 0; answer <= kMaxInterimAnswers; ++answer) {
    auto parser = std::make_unique<OriginParser>();
    parser->header_limit(kOriginReadBufferBytes);
    parser->body_limit(boost::none);  // bodies stream through a bounded buffer
    if (is_head) parser->skip(true);
    auto [ec, bytes] =
        co_await http::async_read_header(connection.stream, connection.buffer, *parser, kNoThrow);
    nothing_received = answer == 0 && ec && !parser->got_some() && connection.buffer.size() == 0;
    if (ec) co_return OriginTransportError(ec, "waiting for the answer", connection);
    const unsigned status = parser->get().result_int();
    if (status == 101) {
      co_return absl::UnavailableError(
          Concat(connection.origin_key, " switched protocols (101) on a plain request"));
    }
    if (status >= 200 || status < 100) co_return parser;
  }
  co_return absl::UnavailableError(
      Concat(connection.origin_key, " sent more than ", kMaxInterimAnswers, " interim answers"));
}

OriginResponseHead HeadOf(const OriginParser& parser) {
  const auto& message = parser.get();
  OriginResponseHead head;
  head.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    head.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  if (!parser.chunked()) {
    if (const boost::optional<uint64_t> length = parser.content_length())
      head.content_length = *length;
  }
  return head;
}

}  // namespace tollgate::storage
