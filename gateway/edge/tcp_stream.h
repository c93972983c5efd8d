// The byte stream of one accepted connection. Plain TCP today; a TLS stream offers the same
// operations, so connections and the download phases never write to a socket themselves.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <utility>

#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "edge/connection_deadline.h"

namespace tollgate::gateway {

class TcpStream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;

  // Takes an accepted socket and puts it in non-blocking mode with TCP_NODELAY (without it,
  // keep-alive requests wait for delayed ACKs). A write that makes no progress for
  // `send_timeout` is cut by the connection's deadline.
  TcpStream(boost::asio::ip::tcp::socket socket, std::chrono::steady_clock::duration send_timeout);

  executor_type get_executor() { return socket_.get_executor(); }

  // Beast's AsyncReadStream, so HTTP parsers read from the stream directly.
  template <typename MutableBuffers, typename Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return socket_.async_read_some(buffers, std::forward<Token>(token));
  }

  // Sends all of `data`; `more` tells the kernel further bytes follow (MSG_MORE), so a header
  // shares a packet with the body. Re-arms `deadline` on progress. Returns the socket error,
  // or success once everything is queued.
  boost::asio::awaitable<boost::system::error_code> Write(std::string_view data, bool more,
                                                          ConnectionDeadline& deadline);

  // Sends `length` bytes of `file_fd` from `offset` (sendfile(2) on plain TCP), yielding to
  // other connections between chunks and re-arming `deadline` on progress. Returns the socket
  // or file error; a file that shrank under us is reported as an I/O error.
  boost::asio::awaitable<boost::system::error_code> SendFile(int file_fd, uint64_t offset,
                                                             uint64_t length,
                                                             ConnectionDeadline& deadline);

  // Completes when bytes (or the peer's close) can be read, without reading them.
  boost::asio::awaitable<boost::system::error_code> WaitReadable();

  // Cancels a pending WaitReadable (shutdown of an idle connection).
  void CancelWait();

  // The TCP layer underneath: the peer's address, the watchdog's target, shutdown.
  boost::asio::ip::tcp::socket& socket() { return socket_; }

 private:
  boost::asio::ip::tcp::socket socket_;
  std::chrono::steady_clock::duration send_timeout_;
};

}  // namespace tollgate::gateway
