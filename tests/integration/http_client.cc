// Each blocking call runs one Beast asynchronous operation to completion on a private
// io_context, because tcp_stream's timeout applies to asynchronous operations only.
#include "http_client.h"

#include <stdexcept>

#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/address.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/error.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http/parser.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/string_body.hpp"
#include "boost/beast/http/write.hpp"

namespace tollgate::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// Artifacts in these tests are small; the limit only guards against a runaway response.
constexpr uint64_t kMaxResponseBody = 256ull << 20;
constexpr uint32_t kMaxResponseHeader = 64 * 1024;

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

[[noreturn]] void Fail(std::string_view what, const error_code& ec) {
  throw std::runtime_error(std::string(what) + ": " + ec.message());
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoringCase(key, name)) return value;
  }
  return "";
}

bool HttpResponse::HasHeader(std::string_view name) const {
  for (const auto& header : headers) {
    if (EqualsIgnoringCase(header.first, name)) return true;
  }
  return false;
}

struct HttpConnection::State {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  std::chrono::seconds timeout{kDefaultHttpTimeout};
  uint16_t port = 0;

  // Starts `start(handler)` and runs it to completion; returns its error (beast::error::timeout
  // when the deadline passed first).
  template <typename Start>
  error_code Run(Start start) {
    error_code result = asio::error::would_block;
    stream.expires_after(timeout);
    start([&result](error_code ec, auto&&...) { result = ec; });
    io.restart();
    // The stream's own timer completes the operation; run_for is only a backstop.
    io.run_for(timeout + std::chrono::seconds(2));
    if (result == asio::error::would_block) {
      stream.socket().close();
      return beast::error::timeout;
    }
    return result;
  }
};

HttpConnection::HttpConnection(uint16_t port, std::string bind_address,
                               std::chrono::seconds timeout)
    : state_(std::make_unique<State>()) {
  state_->timeout = timeout;
  state_->port = port;
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), port);
  error_code ec;
  if (!bind_address.empty()) {
    // Binding first lets a test speak from another loopback address (127.0.0.2 …).
    const tcp::endpoint local(asio::ip::make_address(bind_address, ec), 0);
    if (ec) Fail("bind address " + bind_address, ec);
    state_->stream.socket().open(tcp::v4(), ec);
    if (!ec) state_->stream.socket().bind(local, ec);
    if (ec) Fail("bind to " + bind_address, ec);
  }
  ec = state_->Run([&](auto handler) { state_->stream.async_connect(server, handler); });
  if (ec) Fail("connect to 127.0.0.1:" + std::to_string(port), ec);
  state_->stream.socket().set_option(tcp::no_delay(true), ec);
}

HttpConnection::~HttpConnection() {
  error_code ignored;
  state_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  state_->stream.socket().close(ignored);
}

HttpResponse HttpConnection::Send(const HttpRequest& request) {
  const std::string what = request.method + " " + request.target;
  http::request<http::string_body> message;
  message.method_string(request.method);
  message.target(request.target);
  message.version(11);
  message.set(http::field::host, "127.0.0.1:" + std::to_string(state_->port));
  message.set(http::field::user_agent, "tollgate-integration-tests");
  bool sets_connection = false;
  for (const auto& [name, value] : request.headers) {
    // A test's own Host replaces the default one rather than adding a second.
    if (EqualsIgnoringCase(name, "Host")) {
      message.set(http::field::host, value);
      continue;
    }
    message.insert(name, value);
    sets_connection = sets_connection || EqualsIgnoringCase(name, "Connection");
  }
  if (!sets_connection) message.keep_alive(true);
  const bool may_have_body =
      request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
  if (!request.body.empty() || may_have_body) {
    message.body() = request.body;
    message.prepare_payload();
  }

  const error_code write_error =
      state_->Run([&](auto handler) { http::async_write(state_->stream, message, handler); });
  // A server may answer and close before taking the whole body; like curl, read that answer.
  if (write_error && write_error != asio::error::broken_pipe &&
      write_error != asio::error::connection_reset) {
    Fail(what + ": write", write_error);
  }

  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBody);
  parser.header_limit(kMaxResponseHeader);
  if (request.method == "HEAD") parser.skip(true);
  const error_code ec = state_->Run(
      [&](auto handler) { http::async_read(state_->stream, state_->buffer, parser, handler); });
  if (ec) Fail(what + (write_error ? ": write" : ": read"), write_error ? write_error : ec);

  const http::response<http::string_body>& received = parser.get();
  HttpResponse response;
  response.status = static_cast<int>(received.result_int());
  response.version = received.version();
  response.keep_alive = received.keep_alive();
  for (const auto& field : received) {
    response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = received.body();
  return response;
}

RawExchange HttpConnection::SendRaw(std::string_view bytes) {
  Write(bytes);
  return ReadUntilClosed();
}

void HttpConnection::Write(std::string_view bytes) {
  const error_code ec = state_->Run([&](auto handler) {
    asio::async_write(state_->stream, asio::buffer(bytes.data(), bytes.size()), handler);
  });
  if (ec) Fail("raw write", ec);
}

RawExchange HttpConnection::ReadUntilClosed() {
  RawExchange exchange;
  // Whatever an earlier Send read ahead belongs to this exchange too.
  exchange.received.assign(static_cast<const char*>(state_->buffer.data().data()),
                           state_->buffer.size());
  state_->buffer.consume(state_->buffer.size());
  // Bounded: at most kMaxResponseBody bytes, and the stream deadline on every read.
  while (exchange.received.size() < kMaxResponseBody) {
    char chunk[64 * 1024];
    size_t received = 0;
    const error_code ec = state_->Run([&](auto handler) {
      state_->stream.async_read_some(asio::buffer(chunk),
                                     [&received, handler](error_code e, size_t n) mutable {
                                       received = n;
                                       handler(e);
                                     });
    });
    exchange.received.append(chunk, received);
    if (ec == asio::error::eof || ec == asio::error::connection_reset) {
      exchange.closed_by_server = true;
      break;
    }
    if (ec == beast::error::timeout) break;
    if (ec) Fail("raw read", ec);
  }
  return exchange;
}

std::string HttpConnection::ReadAtLeast(size_t count) {
  std::string received(static_cast<const char*>(state_->buffer.data().data()),
                       state_->buffer.size());
  state_->buffer.consume(state_->buffer.size());
  while (received.size() < count) {
    char chunk[64 * 1024];
    size_t n = 0;
    const error_code ec = state_->Run([&](auto handler) {
      state_->stream.async_read_some(asio::buffer(chunk),
                                     [&n, handler](error_code e, size_t size) mutable {
                                       n = size;
                                       handler(e);
                                     });
    });
    received.append(chunk, n);
    if (ec) break;
  }
  return received;
}

bool HttpConnection::ServerClosed() {
  char byte = 0;
  const error_code ec = state_->Run(
      [&](auto handler) { state_->stream.async_read_some(asio::buffer(&byte, 1), handler); });
  return ec == asio::error::eof || ec == asio::error::connection_reset;
}

uint16_t HttpConnection::local_port() const {
  error_code ec;
  return state_->stream.socket().local_endpoint(ec).port();
}

HttpResponse HttpClient::Request(std::string_view method, std::string_view target,
                                 const Headers& headers, std::string_view body) const {
  HttpConnection connection(port_, bind_address_, timeout_);
  HttpRequest request{std::string(method), std::string(target), headers, std::string(body)};
  request.headers.emplace_back("Connection", "close");
  return connection.Send(request);
}

std::vector<HttpResponse> HttpClient::RequestsOnOneConnection(
    const std::vector<HttpRequest>& requests) const {
  HttpConnection connection(port_, bind_address_, timeout_);
  std::vector<HttpResponse> responses;
  responses.reserve(requests.size());
  for (const HttpRequest& request : requests) responses.push_back(connection.Send(request));
  return responses;
}

RawExchange HttpClient::SendRaw(std::string_view bytes) const {
  HttpConnection connection(port_, bind_address_, timeout_);
  return connection.SendRaw(bytes);
}

std::string BasicAuthorization(std::string_view user, std::string_view password) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string plain = std::string(user) + ":" + std::string(password);
  std::string encoded;
  for (size_t i = 0; i < plain.size(); i += 3) {
    uint32_t group = static_cast<uint32_t>(static_cast<unsigned char>(plain[i])) << 16;
    if (i + 1 < plain.size())
      group |= static_cast<uint32_t>(static_cast<unsigned char>(plain[i + 1])) << 8;
    if (i + 2 < plain.size()) group |= static_cast<unsigned char>(plain[i + 2]);
    encoded.push_back(kAlphabet[(group >> 18) & 63]);
    encoded.push_back(kAlphabet[(group >> 12) & 63]);
    encoded.push_back(i + 1 < plain.size() ? kAlphabet[(group >> 6) & 63] : '=');
    encoded.push_back(i + 2 < plain.size() ? kAlphabet[group & 63] : '=');
  }
  return "Basic " + encoded;
}

}  // namespace tollgate::testing
