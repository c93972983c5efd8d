// A small synchronous HTTP/1.1 client for the integration tests (Boost.Beast over Asio):
// one-shot requests, several requests on one kept-alive connection, and raw bytes on the wire.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tollgate::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  Headers headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  unsigned version = 11;  // 10 or 11
  Headers headers;
  std::string body;
  bool keep_alive = false;  // what the response's Connection header and version say

  // The first value of header `name` (case-insensitive), or "" when absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
};

// What a raw exchange returned: every byte received, and whether the server closed the
// connection (false: it was still open when the read deadline passed).
struct RawExchange {
  std::string received;
  bool closed_by_server = false;
};

inline constexpr std::chrono::seconds kDefaultHttpTimeout{10};

// One open connection that sends requests one after the other (keep-alive). Throws
// std::runtime_error when connecting, writing or reading fails or takes longer than the
// timeout; in particular when the server closed the connection before a request.
class HttpConnection {
 public:
  HttpConnection(uint16_t port, std::string bind_address = "",
                 std::chrono::seconds timeout = kDefaultHttpTimeout);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends `request` with "Connection: keep-alive" unless it sets Connection itself, and reads
  // the whole response (no body for HEAD).
  HttpResponse Send(const HttpRequest& request);

  // Sends `bytes` as they are and reads until the server closes the connection or the
  // timeout passes. Never throws on a timeout (see RawExchange::closed_by_server).
  RawExchange SendRaw(std::string_view bytes);

  // The two halves of SendRaw, for tests that act between writing and reading.
  void Write(std::string_view bytes);
  RawExchange ReadUntilClosed();

  // Reads until at least `count` bytes have arrived (or the server closed, or the timeout
  // passed) and returns them; they are not seen again by later reads.
  std::string ReadAtLeast(size_t count);

  // True when the server has closed its side (a read returns end of stream at once).
  bool ServerClosed();

  // The client side's port, to tell connections apart.
  uint16_t local_port() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Connects to 127.0.0.1:`port` for every call. Throws std::runtime_error as HttpConnection.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port, std::string bind_address = "",
                      std::chrono::seconds timeout = kDefaultHttpTimeout)
      : port_(port), bind_address_(std::move(bind_address)), timeout_(timeout) {}

  // One request on a fresh connection, sent with "Connection: close".
  HttpResponse Request(std::string_view method, std::string_view target,
                       const Headers& headers = {}, std::string_view body = {}) const;
  HttpResponse Get(std::string_view target, const Headers& headers = {}) const {
    return Request("GET", target, headers);
  }

  // All of `requests` on one connection, kept alive between them; one response each.
  std::vector<HttpResponse> RequestsOnOneConnection(const std::vector<HttpRequest>& requests) const;

  // `bytes` as they are on a fresh connection; see HttpConnection::SendRaw.
  RawExchange SendRaw(std::string_view bytes) const;

  uint16_t port() const { return port_; }

 private:
  uint16_t port_;
  std::string bind_address_;
  std::chrono::seconds timeout_;
};

// "Basic base64(user:password)".
std::string BasicAuthorization(std::string_view user, std::string_view password);

}  // namespace tollgate::testing
