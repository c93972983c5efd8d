// What the download and admin connections share: the stream, its read buffer, the watchdog
// deadline, the idle wait between keep-alive requests and the closing handshake.
#pragma once

#include <chrono>
#include <string>

#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/parser.hpp"
#include "edge/client_stream.h"
#include "edge/connection_deadline.h"
#include "edge/listener_options.h"
#include "edge/worker.h"

namespace tollgate::gateway {

class Connection {
 public:
  // Takes the accepted socket and starts the deadline watchdog, armed with the header read
  // deadline: the first request header must arrive within it of the accept. Must be
  // constructed on `worker`'s thread.
  Connection(boost::asio::ip::tcp::socket socket, Worker& worker, const ListenerOptions& options);
  ~Connection();  // closes the socket gracefully
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Waits for the next request (idle keep-alive budget; for the first request the header
  // budget counts from the accept), then reads its header (header budget, size limit).
  // Returns an error when the peer left, the deadline passed, the server is stopping while
  // idle, or the header is malformed/too large (a beast::http::error, which the caller
  // answers with 400).
  boost::asio::awaitable<boost::system::error_code> ReadHeader(
      boost::beast::http::request_parser<boost::beast::http::empty_body>& parser);

  // Ends the connection like nginx's lingering close: stops sending, then reads and drops
  // what the client still sends (an unread request body) for a short bounded time, so the
  // kernel does not answer it with a reset that destroys the response just sent.
  boost::asio::awaitable<void> Close();

  ClientStream& stream() { return stream_; }
  boost::beast::flat_buffer& buffer() { return buffer_; }
  ConnectionDeadline& deadline() { return deadline_; }
  const std::string& client_address() const { return client_address_; }
  const boost::asio::ip::address& peer_address() const { return peer_address_; }
  bool stopping() const { return worker_.stopping; }

 private:
  ClientStream stream_;
  Worker& worker_;
  ConnectionLink link_;
  boost::beast::flat_buffer buffer_;
  ConnectionDeadline deadline_;
  boost::asio::ip::address peer_address_;
  std::string client_address_;
  const metrics::Listener listener_;  // counted open from construction to destruction
  bool first_request_ = true;
};

// SPEC defaults for the connection budgets.
inline constexpr auto kIdleKeepAlive = std::chrono::seconds(60);
inline constexpr auto kHeaderReadDeadline = std::chrono::seconds(10);
inline constexpr size_t kMaxHeaderBytes = 16 * 1024;
// The first read of a request: a whole typical request header in one system call.
inline constexpr size_t kIdleReadBytes = 4 * 1024;
inline constexpr auto kLingeringClose = std::chrono::seconds(2);
inline constexpr size_t kMaxLingeringBytes = 256 * 1024;

}  // namespace tollgate::gateway
