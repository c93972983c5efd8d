// The client's HTTP leg: Asio coroutines on a private io_context, run to completion, so the
// caller sees one blocking call with a deadline on every step.
#include "cli/http_exchange.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl/context.hpp"
#include "boost/asio/ssl/host_name_verification.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/error.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/string_body.hpp"
#include "boost/beast/http/write.hpp"
#include "boost/beast/ssl/ssl_stream.hpp"
#include "tollgate/base/concat.h"
#include "tollgate/base/text.h"

namespace tollgate::gateway::cli {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr size_t kChunkSize = 64 * 1024;
// Answers are JSON pages of at most 500 items; this only stops a runaway peer.
constexpr uint64_t kMaxAnswerBody = uint64_t{64} << 20;

using Result = absl::StatusOr<ClientResponse>;

absl::Status Broken(const ApiUrl& url, std::string_view step, const error_code& ec) {
  const std::string reason =
      ec == beast::error::timeout ? std::string("no progress before the deadline") : ec.message();
  return absl::UnavailableError(
      Concat("cannot ", step, " ", url.host, ":", url.port, ": ", reason));
}

ClientResponse FromMessage(http::response<http::string_body>&& message) {
  ClientResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(message.body());
  return response;
}

// Reads one response (an interim `100 Continue` counts as one) into `parser`.
template <typename Stream>
asio::awaitable<error_code> ReadAnswer(Stream& stream, beast::flat_buffer& buffer,
                                       http::response_parser<http::string_body>& parser,
                                       std::chrono::seconds timeout) {
  parser.body_limit(kMaxAnswerBody);
  beast::get_lowest_layer(stream).expires_after(timeout);
  auto [ec, bytes] = co_await http::async_read(stream, buffer, parser, kNoThrow);
  co_return ec;
}

// Sends the file's bytes in chunks, re-arming the deadline for each.
template <typename Stream>
asio::awaitable<absl::Status> StreamFile(Stream& stream, const ApiUrl& url,
                                         const storage::ArtifactFile& file,
                                         std::chrono::seconds timeout) {
  std::array<char, kChunkSize> chunk;
  for (uint64_t offset = 0; offset < file.size();) {
    const size_t wanted =
        static_cast<size_t>(std::min<uint64_t>(chunk.size(), file.size() - offset));
    const ssize_t n = ::pread(file.fd(), chunk.data(), wanted, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      co_return absl::InternalError(Concat("cannot read the file: ", std::strerror(errno)));
    if (n == 0) co_return absl::InternalError("the file shrank while it was being sent");
    beast::get_lowest_layer(stream).expires_after(timeout);
    auto [ec, written] = co_await asio::async_write(
        stream, asio::buffer(chunk.data(), static_cast<size_t>(n)), kNoThrow);
    if (ec) co_return Broken(url, "send the file to", ec);
    offset += static_cast<uint64_t>(n);
  }
  co_return absl::OkStatus();
}

void SetCommonFields(http::request_header<>& head, const ApiUrl& url,
                     const ClientRequest& request) {
  head.method_string(request.method);
  head.target(request.target);
  head.version(11);
  head.set(http::field::host, url.host_header);
  head.set(http::field::user_agent, "tollgate-cli");
  head.set(http::field::accept, "application/json");
  head.set(http::field::connection, "close");
  for (const auto& [name, value] : request.headers) head.set(name, value);
}

// Upload: header with `Expect: 100-continue`, so a refusal (401, 403, 404, 409 …) arrives
// before any byte of a possibly large file is sent; the body only after `100 Continue`.
template <typename Stream>
asio::awaitable<Result> SendUpload(Stream& stream, const ApiUrl& url, const ClientRequest& request,
                                   std::chrono::seconds timeout) {
  http::request<http::empty_body> head;
  SetCommonFields(head, url, request);
  head.set(http::field::content_type, "application/octet-stream");
  head.set(http::field::expect, "100-continue");
  head.content_length(request.upload->size());
  http::request_serializer<http::empty_body> serializer(head);
  beast::get_lowest_layer(stream).expires_after(timeout);
  if (auto [ec, n] = co_await http::async_write_header(stream, serializer, kNoThrow); ec) {
    co_return Broken(url, "send the request to", ec);
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> interim;
  if (error_code ec = co_await ReadAnswer(stream, buffer, interim, timeout)) {
    co_return Broken(url, "read the answer from", ec);
  }
  if (interim.get().result() != http::status::continue_) co_return FromMessage(interim.release());
  if (absl::Status s = co_await StreamFile(stream, url, *request.upload, timeout); !s.ok()) {
    co_return s;
  }
  http::response_parser<http::string_body> parser;
  if (error_code ec = co_await ReadAnswer(stream, buffer, parser, timeout)) {
    co_return Broken(url, "read the answer from", ec);
  }
  co_return FromMessage(parser.release());
}

template <typename Stream>
asio::awaitable<Result> SendSmall(Stream& stream, const ApiUrl& url, const ClientRequest& request,
                                  std::chrono::seconds timeout) {
  http::request<http::string_body> message;
  SetCommonFields(message, url, request);
  if (!request.body.empty()) {
    message.set(http::field::content_type, "application/json");
    message.body() = request.body;
  }
  message.prepare_payload();
  beast::get_lowest_layer(stream).expires_after(timeout);
  if (auto [ec, n] = co_await http::async_write(stream, message, kNoThrow); ec) {
    co_return Broken(url, "send the request to", ec);
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  if (error_code ec = co_await ReadAnswer(stream, buffer, parser, timeout)) {
    co_return Broken(url, "read the answer from", ec);
  }
  co_return FromMessage(parser.release());
}

template <typename Stream>
asio::awaitable<Result> Send(Stream& stream, const ApiUrl& url, const ClientRequest& request,
                             std::chrono::seconds timeout) {
  if (request.upload != nullptr) co_return co_await SendUpload(stream, url, request, timeout);
  co_return co_await SendSmall(stream, url, request, timeout);
}

// The TLS client side: the peer's chain must lead to `ca_file` (or the system's CAs) and
// name `url.host`; TLS 1.2 at least.
absl::Status ConfigureTls(asio::ssl::context& tls, const ApiUrl& url, const std::string& ca_file) {
  error_code ec;
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                  asio::ssl::context::no_tlsv1_1);
  if (ca_file.empty()) {
    tls.set_default_verify_paths(ec);
  } else {
    tls.load_verify_file(ca_file, ec);
  }
  if (ec) return absl::InvalidArgumentError(Concat("--cacert: cannot read ", ca_file));
  tls.set_verify_mode(asio::ssl::verify_peer);
  tls.set_verify_callback(asio::ssl::host_name_verification(url.host));
  return absl::OkStatus();
}

asio::awaitable<Result> Run(const ApiUrl& url, const std::string& ca_file,
                            const ClientRequest& request, std::chrono::seconds timeout) {
  const auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(url.host, url.port, kNoThrow);
  if (resolve_ec) co_return Broken(url, "resolve", resolve_ec);
  if (!url.tls) {
    beast::tcp_stream stream(executor);
    stream.expires_after(timeout);
    if (auto [ec, endpoint] = co_await stream.async_connect(endpoints, kNoThrow); ec) {
      co_return Broken(url, "connect to", ec);
    }
    co_return co_await Send(stream, url, request, timeout);
  }
  asio::ssl::context tls(asio::ssl::context::tls_client);
  if (absl::Status configured = ConfigureTls(tls, url, ca_file); !configured.ok()) {
    co_return configured;
  }
  beast::ssl_stream<beast::tcp_stream> stream(executor, tls);
  error_code ip_error;
  asio::ip::make_address(url.host, ip_error);
  // Server Name Indication names hosts, never addresses (RFC 6066).
  // SSL_set_tlsext_host_name, without the macro's C cast.
  if (ip_error && SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                           TLSEXT_NAMETYPE_host_name, const_cast<char*>(url.host.c_str())) != 1) {
    co_return absl::InternalError("cannot set the TLS server name");
  }
  beast::get_lowest_layer(stream).expires_after(timeout);
  if (auto [ec, endpoint] =
          co_await beast::get_lowest_layer(stream).async_connect(endpoints, kNoThrow);
      ec) {
    co_return Broken(url, "connect to", ec);
  }
  if (auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kNoThrow); ec) {
    co_return Broken(url, "make a TLS connection to", ec);
  }
  co_return co_await Send(stream, url, request, timeout);
}

}  // namespace

std::string ClientResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

absl::StatusOr<ClientResponse> Exchange(const ApiUrl& url, const std::string& ca_file,
                                        const ClientRequest& request,
                                        std::chrono::seconds step_timeout) {
  asio::io_context io;
  Result result = absl::InternalError("the request did not run");
  asio::co_spawn(io, Run(url, ca_file, request, step_timeout),
                 [&result](std::exception_ptr failure, Result answer) {
                   // Only allocation failures throw here; report them as one line.
                   result = failure ? absl::InternalError("the request failed unexpectedly")
                                    : std::move(answer);
                 });
  io.run();
  return result;
}

}  // namespace tollgate::gateway::cli
