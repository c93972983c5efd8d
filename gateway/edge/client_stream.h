// The byte stream of one accepted connection: plain TCP, or TLS that OpenSSL drives on the
// socket itself (SSL_set_fd, not a BIO pair), so the kernel's TLS can carry file bodies where
// the kernel offers it. Connections and the download phases never touch the socket themselves.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "boost/asio/async_result.hpp"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/compose.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/post.hpp"
#include "edge/connection_deadline.h"
#include "edge/tls_context.h"

namespace tollgate::gateway {

class ClientStream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;

  // Takes an accepted socket and puts it in non-blocking mode with TCP_NODELAY (without it,
  // keep-alive requests wait for delayed ACKs). A write that makes no progress for
  // `send_timeout` is cut by the connection's deadline. Plain TCP until Handshake.
  ClientStream(boost::asio::ip::tcp::socket socket,
               std::chrono::steady_clock::duration send_timeout);
  ~ClientStream();

  // Turns the stream into TLS with `session` (a server session from the listener's
  // TlsContext): runs the handshake. An error when the peer does not speak TLS, fails the
  // handshake or leaves; the caller then closes without a word.
  boost::asio::awaitable<boost::system::error_code> Handshake(SslPtr session);

  executor_type get_executor() { return socket_.get_executor(); }

  // Whether the stream speaks TLS (the handshake was started).
  bool is_tls() const { return tls_ != nullptr; }

  // Beast's AsyncReadStream, so HTTP parsers read from the stream directly. End of stream
  // (also TLS close_notify) is asio::error::eof. On TLS only the first buffer of `buffers` is
  // filled (a read may always return less); Beast reads into one buffer.
  template <typename MutableBuffers, typename Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    if (tls_ == nullptr) return socket_.async_read_some(buffers, std::forward<Token>(token));
    return boost::asio::async_compose<Token, void(boost::system::error_code, size_t)>(
        TlsReadOperation{this, *boost::asio::buffer_sequence_begin(buffers)}, token, socket_);
  }

  // Sends all of `data`; `more` tells the kernel further bytes follow (MSG_MORE, plain TCP
  // only), so a header shares a packet with the body. Re-arms `deadline` on progress. Returns
  // the socket or TLS error, or success once everything is queued.
  boost::asio::awaitable<boost::system::error_code> Write(std::string_view data, bool more,
                                                          ConnectionDeadline& deadline);

  // Sends `head` (a response header), then `length` bytes of `file_fd` from `offset` —
  // sendfile(2) on plain TCP, SSL_sendfile on kernel TLS, else a bounded read-and-encrypt
  // loop — yielding to other connections between chunks and re-arming `deadline` on
  // progress. Over TLS without kernel TLS a small file is appended to `head` and both leave
  // in one write. Returns the socket, TLS or file error; a file that shrank under us is
  // reported as an I/O error.
  boost::asio::awaitable<boost::system::error_code> SendFile(std::string& head, int file_fd,
                                                             uint64_t offset, uint64_t length,
                                                             ConnectionDeadline& deadline);

  // Cancels a pending read (shutdown of an idle connection).
  void CancelWait();

  // Sends TLS's close_notify, once, without waiting for the peer's; nothing on plain TCP.
  void SendCloseNotify();

  // The TCP layer underneath: the peer's address, the watchdog's target, shutdown.
  boost::asio::ip::tcp::socket& socket() { return socket_; }

 private:
  // What one TLS read call asks the caller to do: done, or wait for the socket first.
  enum class TlsWait { kNone, kReadable, kWritable };
  struct TlsStep {
    TlsWait wait = TlsWait::kNone;
    boost::system::error_code error;
    size_t bytes = 0;
  };
  // One SSL_read_ex into `buffer`.
  TlsStep TlsRead(boost::asio::mutable_buffer buffer);

  // async_read_some on TLS: read what OpenSSL has, else wait for the socket and try again.
  // A result that is there at once is delivered through a post: a completion handler must
  // never run inside the call that started the operation (Beast's read loops count on it, or
  // a header sent as a thousand tiny TLS records would nest a thousand stack frames).
  struct TlsReadOperation {
    enum class Stage { kStarting, kWaiting, kDeferred };
    ClientStream* stream;
    boost::asio::mutable_buffer buffer;
    Stage stage = Stage::kStarting;
    TlsStep result = {};

    template <typename Self>
    void operator()(Self& self, boost::system::error_code wait_error = {}) {
      if (stage == Stage::kDeferred) return self.complete(result.error, result.bytes);
      if (wait_error) return self.complete(wait_error, 0);
      result = buffer.size() == 0 ? TlsStep{} : stream->TlsRead(buffer);
      if (result.wait != TlsWait::kNone) {
        stage = Stage::kWaiting;
        return stream->socket_.async_wait(result.wait == TlsWait::kReadable
                                              ? boost::asio::socket_base::wait_read
                                              : boost::asio::socket_base::wait_write,
                                          std::move(self));
      }
      if (stage == Stage::kStarting) {
        stage = Stage::kDeferred;
        return boost::asio::post(std::move(self));
      }
      self.complete(result.error, result.bytes);
    }
  };

  boost::asio::awaitable<boost::system::error_code> TlsWrite(std::string_view data,
                                                             ConnectionDeadline& deadline);
  boost::asio::awaitable<boost::system::error_code> TlsSendFile(int file_fd, uint64_t offset,
                                                                uint64_t length,
                                                                ConnectionDeadline& deadline);
  // Waits for what the last TLS call asked for.
  boost::asio::awaitable<boost::system::error_code> Await(TlsWait wait);

  boost::asio::ip::tcp::socket socket_;
  std::chrono::steady_clock::duration send_timeout_;
  SslPtr tls_;  // null: plain TCP
  bool kernel_tls_send_ = false;
  bool close_notify_sent_ = false;
};

}  // namespace tollgate::gateway
