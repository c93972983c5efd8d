// The admin connection loop: header, then either a small JSON body or a streamed upload.
#include "admin/admin_session.h"

#include <array>
#include <chrono>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/http/buffer_body.hpp"
#include "boost/beast/http/error.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/string_body.hpp"
#include "edge/connection.h"
#include "http/http_date.h"
#include "http/response_head.h"
#include "observe/log.h"
#include "observe/metrics.h"
#include "tollgate/base/concat.h"
#include "tollgate/base/text.h"

namespace tollgate::gateway {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using admin::ApiResponse;
using boost::system::error_code;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr uint64_t kMaxJsonBody = 1 << 20;
// A client must deliver some upload bytes this often.
constexpr auto kBodyProgressBudget = std::chrono::seconds(60);

using HeaderParser = http::request_parser<http::empty_body>;

asio::awaitable<error_code> Send(Connection& connection, const ApiResponse& response,
                                 unsigned version, bool keep_alive, bool is_head) {
  ResponseHead head;
  head.set_status(response.status);
  if (!response.body.empty()) head.Set("Content-Type", "application/json");
  for (const auto& [name, value] : response.headers) head.Set(name, value);
  // A 304 has no body, and a Content-Length there would describe the representation.
  if (response.status != http::status::no_content &&
      response.status != http::status::not_modified) {
    head.set_content_length(response.body.size());
  }
  std::string wire;
  head.Serialize(version, keep_alive, CurrentHttpDate(), wire);
  if (!is_head) wire += response.body;
  co_return co_await connection.stream().Write(wire, false, connection.deadline());
}

// Reads a JSON body into `body`. Returns 413/400 as an answer when it is too large or
// malformed; nullopt when the connection failed.
asio::awaitable<std::optional<ApiResponse>> ReadJsonBody(Connection& connection,
                                                         HeaderParser& header_parser,
                                                         std::string& body, bool& failed) {
  http::request_parser<http::string_body> parser(std::move(header_parser));
  parser.body_limit(kMaxJsonBody);
  connection.deadline().Arm(kBodyProgressBudget);
  auto [ec, bytes] =
      co_await http::async_read(connection.stream(), connection.buffer(), parser, kNoThrow);
  if (ec == http::error::body_limit) {
    co_return admin::Error(admin::ApiError::kPayloadTooLarge, "JSON bodies are limited to 1 MiB.");
  }
  if (ec) {
    failed = true;
    co_return std::nullopt;
  }
  body = std::move(parser.get().body());
  co_return std::nullopt;
}

// Streams the request body into `upload` and finishes it. `failed` is set when the
// connection broke, in which case the returned answer is not sent; `body_read` when the
// whole body was consumed, so the connection may be kept alive.
asio::awaitable<ApiResponse> ReceiveUpload(Connection& connection, HeaderParser& header_parser,
                                           admin::PackageUpload& upload, const admin::AdminApi& api,
                                           bool& failed, bool& body_read) {
  if (http::request_header<>& header = header_parser.get();
      EqualsIgnoreCase(std::string_view(header[http::field::expect]), "100-continue")) {
    constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    if (co_await connection.stream().Write(kContinue, false, connection.deadline())) {
      failed = true;
      co_return ApiResponse{};
    }
  }
  http::request_parser<http::buffer_body> parser(std::move(header_parser));
  parser.body_limit(boost::none);  // artifacts may be large; they stream to disk
  std::array<char, 64 * 1024> chunk;
  // Each step may also wait on the upload's store (an S3 origin) for up to its deadlines.
  const auto step_budget = kBodyProgressBudget + absl::ToChronoNanoseconds(upload.LongestWait());
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    connection.deadline().Arm(step_budget);
    auto [ec, bytes] =
        co_await http::async_read(connection.stream(), connection.buffer(), parser, kNoThrow);
    if (ec && ec != http::error::need_buffer) {
      failed = true;
      co_return ApiResponse{};
    }
    const size_t received = chunk.size() - parser.get().body().size;
    if (std::optional<ApiResponse> refusal =
            co_await upload.Write(std::string_view(chunk.data(), received))) {
      // The connection is closed after this answer, so the unread rest does not matter.
      co_return std::move(*refusal);
    }
  }
  body_read = true;
  connection.deadline().Arm(step_budget);
  co_return co_await upload.Finish(api.context());
}

}  // namespace

asio::awaitable<void> ServeAdminConnection(Connection& connection, const admin::AdminApi& api) {
  for (;;) {
    HeaderParser parser;
    // Uploads may be any size; JSON bodies get their 1 MiB limit once the route is known.
    parser.body_limit(boost::none);
    if (error_code ec = co_await connection.ReadHeader(parser)) {
      if (ec.category() == make_error_code(http::error::end_of_stream).category() &&
          ec != http::error::end_of_stream) {
        co_await Send(connection,
                      admin::Error(admin::ApiError::kBadRequest, "Malformed HTTP request."), 11,
                      false, false);
      }
      break;
    }
    const auto started = std::chrono::steady_clock::now();
    const http::request_header<>& header = parser.get();
    const unsigned version = header.version();
    const bool is_head = header.method() == http::verb::head;
    const std::string method(header.method_string());
    const std::string target(header.target());
    bool keep_alive = parser.keep_alive() && !connection.stopping();
    const bool has_body = parser.chunked() || parser.content_length().value_or(0) > 0;

    admin::PreparedRequest prepared = api.Prepare(header, connection.peer_address());
    co_await api.CountRejectedCredential(prepared);
    bool failed = false;
    ApiResponse response;
    if (prepared.answer) {
      response = std::move(*prepared.answer);
      keep_alive = keep_alive && !has_body;  // the unread body would be taken as a request
    } else if (prepared.streams_body) {
      const std::string checksum(header["X-Checksum-Sha256"]);
      const boost::optional<uint64_t> length = parser.content_length();
      const std::optional<uint64_t> announced =
          length ? std::optional<uint64_t>(*length) : std::nullopt;
      // Asking an origin whether the object exists waits on the origin, as a JSON request's
      // origin call does, under the same budget.
      connection.deadline().Arm(kBodyProgressBudget);
      auto begun = co_await api.BeginUpload(prepared.request, checksum, announced);
      if (auto* refusal = std::get_if<ApiResponse>(&begun)) {
        response = std::move(*refusal);
        keep_alive = keep_alive && !has_body;
      } else {
        auto& upload = std::get<std::unique_ptr<admin::PackageUpload>>(begun);
        bool body_read = false;
        response = co_await ReceiveUpload(connection, parser, *upload, api, failed, body_read);
        keep_alive = keep_alive && body_read;
      }
    } else if (parser.content_length().value_or(0) > kMaxJsonBody) {
      response =
          admin::Error(admin::ApiError::kPayloadTooLarge, "JSON bodies are limited to 1 MiB.");
      keep_alive = false;
    } else {
      std::optional<ApiResponse> refusal =
          co_await ReadJsonBody(connection, parser, prepared.request.body, failed);
      if (refusal) {
        response = std::move(*refusal);
        keep_alive = false;
      } else if (!failed) {
        response = co_await api.Dispatch(prepared.request);
      }
    }
    if (failed) break;
    const error_code ec = co_await Send(connection, response, version, keep_alive, is_head);
    metrics::RecordRequest(metrics::Listener::kAdmin, static_cast<unsigned>(response.status),
                           std::nullopt, ec || is_head ? 0 : response.body.size(),
                           std::chrono::steady_clock::now() - started);
    LogEvent("info", "admin_request",
             {{"client", connection.client_address()},
              {"method", method},
              {"path", target},
              {"caller", prepared.request.caller.name},
              {"status", Concat(static_cast<int>(response.status))}});
    if (ec || !keep_alive) break;
  }
}

}  // namespace tollgate::gateway
