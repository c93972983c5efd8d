// The download connection loop. Bodies go out with sendfile(2); the header is sent with
// MSG_MORE so header and the first body bytes leave in one packet.
#include "download_session.h"

#include <chrono>

#include "absl/time/clock.h"
#include "boost/beast/http/error.hpp"
#include "denial_response.h"
#include "http_connection.h"
#include "http_date.h"
#include "log.h"
#include "origin_download.h"
#include "origin_relay.h"
#include "socket_io.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

void LogAccess(const HttpConnection& connection, const http::request_header<>& request,
               const DownloadResponse& response, uint64_t body_bytes,
               std::chrono::steady_clock::duration elapsed) {
  const std::string status = Concat(response.head.result_int());
  const std::string bytes = Concat(body_bytes);
  const std::string micros =
      Concat(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
  // The target may carry the token as its first segment, so only the route-free parts are
  // logged: method, status, reason, token identifier.
  LogEvent("info", "download",
           {{"client", connection.client_address()},
            {"method", request.method_string()},
            {"status", status},
            {"reason", response.denial ? policy::ReasonCode(*response.denial) : ""},
            {"token", response.token_identifier},
            {"account", response.account},
            {"bytes", bytes},
            {"duration_us", micros}});
}

// Usage of a token request: unlimited tokens' downloads are recorded with the bytes really
// sent (counted ones were reserved before sending), and every token request is an event.
// `sent_bytes` counts the body bytes that left even when the response failed midway.
void RecordUsage(storage::UsageLedger& ledger, DownloadResponse& response, uint64_t body_bytes,
                 uint64_t sent_bytes, bool delivered) {
  if (response.token_identifier.empty()) return;
  if (response.usage && !response.enforce_limits && delivered) {
    response.usage->bytes = body_bytes;
    ledger.Record(*response.usage);
  } else if (response.usage && response.enforce_limits && response.origin_body &&
             !response.head.has_content_length() && sent_bytes > 0) {
    // An origin body without a length was reserved at 0 bytes; its bytes follow, also when
    // the client or the origin gave up midway, so a broken download cannot dodge the limit.
    response.usage->bytes = sent_bytes;
    response.usage->bytes_only = true;
    ledger.Record(*response.usage);
  }
  // An event's bytes are artifact bytes; a denial's JSON body is not counted.
  ledger.AddEvent(response.token_identifier,
                  storage::UsageEvent{absl::Now(), response.client, response.path,
                                      response.denial ? 0 : body_bytes,
                                      static_cast<int>(response.head.result_int())});
}

// Answers a request whose header could not be parsed, then the connection closes.
asio::awaitable<void> RefuseMalformed(HttpConnection& connection) {
  SmallResponse refusal = MakeDenialResponse(policy::Reason::kBadRequest, "tollgate");
  refusal.head.keep_alive(false);
  refusal.head.set(http::field::date, CurrentHttpDate());
  std::string wire;
  SerializeHeader(refusal.head, wire);
  wire += refusal.body;
  co_await SendAll(connection.socket(), wire, false, connection.deadline());
}

}  // namespace

asio::awaitable<void> ServeDownloadConnection(asio::ip::tcp::socket socket, Worker& worker,
                                              const DownloadHandler& handler) {
  HttpConnection connection(std::move(socket), worker);
  std::string wire;  // serialised header (and small body), reused across requests
  for (;;) {
    http::request_parser<http::empty_body> parser;
    // The body of a download request is never read; its size must not fail the header.
    parser.body_limit(boost::none);
    if (error_code ec = co_await connection.ReadHeader(parser)) {
      if (ec.category() == make_error_code(http::error::end_of_stream).category() &&
          ec != http::error::end_of_stream) {
        co_await RefuseMalformed(connection);
      }
      break;
    }
    const auto started = std::chrono::steady_clock::now();
    const http::request_header<>& request = parser.get();
    // A GET with a body is odd enough that we answer it and close rather than skip the body.
    const bool has_body = parser.chunked() || parser.content_length().value_or(0) > 0;
    const bool keep_alive = parser.keep_alive() && !has_body && !connection.stopping();

    DownloadResponse response = handler.Handle(request, connection.peer_address());
    if (response.origin) {
      co_await FetchFromOrigin(handler.origins(), response, request.version(),
                               connection.deadline());
    }
    if (response.usage && response.enforce_limits) {
      DownloadHandler::ApplyReservation(response,
                                        co_await handler.ledger().Reserve(*response.usage));
    }
    response.head.version(request.version());
    response.head.keep_alive(keep_alive && !BodyEndsByClosing(response));
    response.head.set(http::field::date, CurrentHttpDate());
    SerializeHeader(response.head, wire);

    const bool send_body = request.method() != http::verb::head;
    uint64_t body_bytes = 0;
    uint64_t sent_bytes = 0;  // also counts a body cut off midway
    error_code ec;
    if (response.file && send_body) {
      ec = co_await SendAll(connection.socket(), wire, true, connection.deadline());
      if (!ec) {
        const FileSlice& slice = *response.file;
        ec = co_await SendFile(connection.socket(), slice.file.fd(), slice.offset, slice.length,
                               connection.deadline());
        if (!ec) body_bytes = slice.length;
      }
    } else if (response.origin_body && send_body) {
      ec = co_await SendAll(connection.socket(), wire, true, connection.deadline());
      if (!ec) {
        const RelayResult relayed = co_await RelayOriginBody(
            *response.origin_body, connection.socket(), connection.deadline(),
            response.origin->origin.read_timeout, response.head.chunked());
        ec = relayed.error;
        body_bytes = sent_bytes = relayed.bytes;
      }
    } else {
      if (send_body) {
        wire += response.body;
        body_bytes = response.body.size();
      }
      ec = co_await SendAll(connection.socket(), wire, false, connection.deadline());
    }
    if (ec) body_bytes = 0;
    LogAccess(connection, request, response, body_bytes,
              std::chrono::steady_clock::now() - started);
    RecordUsage(handler.ledger(), response, body_bytes, sent_bytes, !ec);
    if (ec || !response.head.keep_alive()) break;
  }
  co_await connection.Close();
}

}  // namespace tollgate::gateway
