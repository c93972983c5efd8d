// Connection set-up, the idle/header read phases and teardown.
#include "edge/connection.h"

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/http/read.hpp"

namespace tollgate::gateway {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

Connection::Connection(asio::ip::tcp::socket socket, Worker& worker, const ListenerOptions& options)
    : stream_(std::move(socket), options.send_timeout),
      worker_(worker),
      buffer_(kMaxHeaderBytes),
      deadline_(stream_.socket()),
      listener_(options.listener) {
  metrics::ConnectionOpened(listener_);
  link_.stream = &stream_;
  worker_.connections.push_back(link_);
  error_code ignored;  // a peer that already left shows up on the first read instead
  const asio::ip::tcp::endpoint peer = stream_.socket().remote_endpoint(ignored);
  peer_address_ = peer.address();
  client_address_ = peer_address_.to_string();
  deadline_.Arm(kHeaderReadDeadline);
}

Connection::~Connection() {
  metrics::ConnectionClosed(listener_);
  error_code ignored;  // closing a socket the peer already reset is not an error here
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

asio::awaitable<void> Connection::Close() {
  constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
  error_code ec;
  stream_.SendCloseNotify();
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (ec) co_return;  // already reset or closed by the deadline
  deadline_.Arm(kLingeringClose);
  char discard[16 * 1024];
  for (size_t drained = 0; drained < kMaxLingeringBytes;) {
    auto [read_error, bytes] =
        co_await stream_.async_read_some(asio::buffer(discard, sizeof discard), kNoThrow);
    if (read_error) break;  // the client closed, or the deadline closed the socket
    drained += bytes;
  }
}

asio::awaitable<error_code> Connection::ReadHeader(http::request_parser<http::empty_body>& parser) {
  constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
  // A new connection's header budget runs from the accept, so a client cannot hold it open
  // for the keep-alive budget without sending a byte.
  const bool first = std::exchange(first_request_, false);
  if (buffer_.size() == 0) {
    if (worker_.stopping) co_return asio::error::shut_down;
    if (!first) deadline_.Arm(kIdleKeepAlive);
    link_.idle = true;
    // A read rather than a wait for readiness: Asio re-registers the socket with epoll (one
    // system call) for every wait, while a read that finds nothing queues on the registration
    // the socket already has. (Over TLS the stream still waits when OpenSSL wants bytes.)
    auto [ec, bytes] = co_await stream_.async_read_some(buffer_.prepare(kIdleReadBytes), kNoThrow);
    link_.idle = false;
    // The client closed between requests, as Beast says it when it reads the close itself.
    if (ec == asio::error::eof) co_return http::error::end_of_stream;
    if (ec) co_return ec;
    buffer_.commit(bytes);
  }
  if (!first) deadline_.Arm(kHeaderReadDeadline);
  parser.header_limit(kMaxHeaderBytes);
  // A header usually arrives whole in one read: it is parsed where it lies, without Beast's
  // composed read operation and the allocations that makes. The rest is left to Beast.
  error_code parsed;
  buffer_.consume(parser.put(buffer_.data(), parsed));
  if (parsed != http::error::need_more) co_return parsed;
  auto [ec, bytes] = co_await http::async_read_header(stream_, buffer_, parser, kNoThrow);
  co_return ec;
}

}  // namespace tollgate::gateway
