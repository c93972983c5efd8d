// send(2)/sendfile(2) loops for plain TCP, SSL_write/SSL_sendfile loops for TLS; each waits
// for the socket through Asio when the kernel or OpenSSL says it would block.
#include "edge/client_stream.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/error.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/use_awaitable.hpp"

namespace tollgate::gateway {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// Bytes per sendfile call: large enough to keep syscalls few, small enough that one fast
// client cannot starve the other connections of its thread.
constexpr uint64_t kSendfileChunk = 1 << 20;
// Bytes per read-and-encrypt step of a TLS file body without kernel TLS: four TLS records,
// and all the memory a TLS download holds for its body.
constexpr size_t kTlsCopyChunk = 64 * 1024;
// Over TLS without kernel TLS a file's bytes pass through user space anyway; one this small
// is appended to its header, so both leave in one write (one or two TLS records), not two.
constexpr uint64_t kCoalescedTlsBody = 16 * 1024;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

error_code LastError() { return error_code(errno, boost::system::system_category()); }

// Appends `length` bytes of `file_fd` from `offset` to `out`. False when the file could not
// be read whole (it shrank, or the disk failed): the caller then sends it the ordinary way,
// which reports why.
bool AppendFileBytes(int file_fd, uint64_t offset, uint64_t length, std::string& out) {
  const size_t start = out.size();
  out.resize(start + length);
  for (uint64_t done = 0; done < length;) {
    const ssize_t got = ::pread(file_fd, out.data() + start + done, length - done,
                                static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      out.resize(start);
      return false;
    }
    done += static_cast<uint64_t>(got);
  }
  return true;
}

// Before every TLS call. OpenSSL's error queue is per thread and SSL_get_error reads it: an
// entry another connection left behind would turn this call's WANT_READ into a failure; and
// a SYSCALL error is reported through errno, which must not be a stale value.
void ClearErrors() {
  ERR_clear_error();
  errno = 0;
}

// A TLS failure as an error code: the system's errno for a socket error, else a protocol error.
error_code TlsFailure(int ssl_error) {
  ERR_clear_error();
  if (ssl_error == SSL_ERROR_SYSCALL && errno != 0) return LastError();
  return asio::error::make_error_code(asio::error::connection_aborted);
}

}  // namespace

ClientStream::ClientStream(asio::ip::tcp::socket socket,
                           std::chrono::steady_clock::duration send_timeout)
    : socket_(std::move(socket)), send_timeout_(send_timeout) {
  error_code ignored;  // a peer that already left shows up on the first read instead
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  socket_.non_blocking(true, ignored);
}

ClientStream::~ClientStream() = default;

asio::awaitable<error_code> ClientStream::Handshake(SslPtr session) {
  if (session == nullptr || SSL_set_fd(session.get(), socket_.native_handle()) != 1) {
    ERR_clear_error();
    co_return asio::error::make_error_code(asio::error::no_memory);
  }
  tls_ = std::move(session);
  for (;;) {
    ClearErrors();
    const int result = SSL_accept(tls_.get());
    if (result == 1) break;
    const int ssl_error = SSL_get_error(tls_.get(), result);
    TlsWait wait = TlsWait::kNone;
    if (ssl_error == SSL_ERROR_WANT_READ) wait = TlsWait::kReadable;
    if (ssl_error == SSL_ERROR_WANT_WRITE) wait = TlsWait::kWritable;
    // A failed handshake sends no close_notify: there is no session to close.
    if (wait == TlsWait::kNone) {
      close_notify_sent_ = true;
      co_return TlsFailure(ssl_error);
    }
    if (error_code ec = co_await Await(wait)) co_return ec;
  }
  kernel_tls_send_ = BIO_get_ktls_send(SSL_get_wbio(tls_.get())) != 0;
  co_return error_code{};
}

ClientStream::TlsStep ClientStream::TlsRead(asio::mutable_buffer buffer) {
  size_t bytes = 0;
  ClearErrors();
  const int result = SSL_read_ex(tls_.get(), buffer.data(), buffer.size(), &bytes);
  if (result == 1) return {.wait = TlsWait::kNone, .error = {}, .bytes = bytes};
  const int ssl_error = SSL_get_error(tls_.get(), result);
  switch (ssl_error) {
    case SSL_ERROR_WANT_READ:
      return {.wait = TlsWait::kReadable, .error = {}, .bytes = 0};
    case SSL_ERROR_WANT_WRITE:
      return {.wait = TlsWait::kWritable, .error = {}, .bytes = 0};
    case SSL_ERROR_ZERO_RETURN:
      // The peer's close_notify, or (SSL_OP_IGNORE_UNEXPECTED_EOF) a close without one, which
      // ends the stream the same way for HTTP/1.1, whose messages carry their own length.
      return {.wait = TlsWait::kNone, .error = asio::error::eof, .bytes = 0};
    default:
      close_notify_sent_ = true;  // a broken session must not send one
      return {.wait = TlsWait::kNone, .error = TlsFailure(ssl_error), .bytes = 0};
  }
}

asio::awaitable<error_code> ClientStream::Await(TlsWait wait) {
  const auto what =
      wait == TlsWait::kReadable ? asio::socket_base::wait_read : asio::socket_base::wait_write;
  auto [ec] = co_await socket_.async_wait(what, kNoThrow);
  co_return ec;
}

asio::awaitable<error_code> ClientStream::Write(std::string_view data, bool more,
                                                ConnectionDeadline& deadline) {
  if (tls_ != nullptr) co_return co_await TlsWrite(data, deadline);
  const int flags = MSG_NOSIGNAL | (more ? MSG_MORE : 0);
  while (!data.empty()) {
    const ssize_t sent = ::send(socket_.native_handle(), data.data(), data.size(), flags);
    if (sent >= 0) {
      data.remove_prefix(static_cast<size_t>(sent));
      deadline.Arm(send_timeout_);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) co_return LastError();
    auto [ec] = co_await socket_.async_wait(asio::socket_base::wait_write, kNoThrow);
    if (ec) co_return ec;
  }
  co_return error_code{};
}

asio::awaitable<error_code> ClientStream::TlsWrite(std::string_view data,
                                                   ConnectionDeadline& deadline) {
  while (!data.empty()) {
    size_t written = 0;
    ClearErrors();
    const int result = SSL_write_ex(tls_.get(), data.data(), data.size(), &written);
    if (result == 1) {
      data.remove_prefix(written);
      deadline.Arm(send_timeout_);
      continue;
    }
    const int ssl_error = SSL_get_error(tls_.get(), result);
    if (ssl_error == SSL_ERROR_WANT_WRITE) {
      if (error_code ec = co_await Await(TlsWait::kWritable)) co_return ec;
    } else if (ssl_error == SSL_ERROR_WANT_READ) {
      if (error_code ec = co_await Await(TlsWait::kReadable)) co_return ec;
    } else {
      close_notify_sent_ = true;  // a broken session cannot send one
      co_return TlsFailure(ssl_error);
    }
  }
  co_return error_code{};
}

asio::awaitable<error_code> ClientStream::SendFile(std::string& head, int file_fd, uint64_t offset,
                                                   uint64_t length, ConnectionDeadline& deadline) {
  if (tls_ != nullptr && !kernel_tls_send_ && length <= kCoalescedTlsBody &&
      AppendFileBytes(file_fd, offset, length, head)) {
    co_return co_await TlsWrite(head, deadline);
  }
  if (error_code ec = co_await Write(head, true, deadline)) co_return ec;
  if (tls_ != nullptr) co_return co_await TlsSendFile(file_fd, offset, length, deadline);
  auto position = static_cast<off_t>(offset);
  uint64_t remaining = length;
  while (remaining > 0) {
    const size_t chunk = static_cast<size_t>(std::min(remaining, kSendfileChunk));
    const ssize_t sent = ::sendfile(socket_.native_handle(), file_fd, &position, chunk);
    if (sent > 0) {
      remaining -= static_cast<uint64_t>(sent);
      deadline.Arm(send_timeout_);
      if (remaining == 0) break;
      if (static_cast<size_t>(sent) == chunk) {
        // Let the thread's other connections run before the next chunk.
        co_await asio::post(socket_.get_executor(), asio::use_awaitable);
        continue;
      }
      // A short send means the socket's buffer is full: the next call would only fail with
      // EAGAIN, so wait for room first.
      auto [ec] = co_await socket_.async_wait(asio::socket_base::wait_write, kNoThrow);
      if (ec) co_return ec;
      continue;
    }
    if (sent == 0) co_return error_code(EIO, boost::system::system_category());  // file shrank
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) co_return LastError();
    auto [ec] = co_await socket_.async_wait(asio::socket_base::wait_write, kNoThrow);
    if (ec) co_return ec;
  }
  co_return error_code{};
}

asio::awaitable<error_code> ClientStream::TlsSendFile(int file_fd, uint64_t offset, uint64_t length,
                                                      ConnectionDeadline& deadline) {
  uint64_t remaining = length;
  if (kernel_tls_send_) {
    while (remaining > 0) {
      const size_t chunk = static_cast<size_t>(std::min(remaining, kSendfileChunk));
      ClearErrors();
      const ossl_ssize_t sent =
          SSL_sendfile(tls_.get(), file_fd, static_cast<off_t>(offset), chunk, 0);
      if (sent > 0) {
        offset += static_cast<uint64_t>(sent);
        remaining -= static_cast<uint64_t>(sent);
        deadline.Arm(send_timeout_);
        if (remaining > 0) co_await asio::post(socket_.get_executor(), asio::use_awaitable);
        continue;
      }
      if (sent == 0) co_return error_code(EIO, boost::system::system_category());  // file shrank
      const int ssl_error = SSL_get_error(tls_.get(), static_cast<int>(sent));
      if (ssl_error != SSL_ERROR_WANT_WRITE) {
        close_notify_sent_ = true;
        co_return TlsFailure(ssl_error);
      }
      if (error_code ec = co_await Await(TlsWait::kWritable)) co_return ec;
    }
    co_return error_code{};
  }
  // Without kernel TLS the bytes pass through user space: one bounded buffer, refilled only
  // once OpenSSL has taken all of it, so a slow client holds 64 KiB, never the file.
  const auto buffer = std::make_unique<char[]>(kTlsCopyChunk);
  while (remaining > 0) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(remaining, kTlsCopyChunk));
    const ssize_t got = ::pread(file_fd, buffer.get(), want, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) co_return LastError();
    if (got == 0) co_return error_code(EIO, boost::system::system_category());  // file shrank
    if (error_code ec =
            co_await TlsWrite(std::string_view(buffer.get(), static_cast<size_t>(got)), deadline)) {
      co_return ec;
    }
    offset += static_cast<uint64_t>(got);
    remaining -= static_cast<uint64_t>(got);
    if (remaining > 0) co_await asio::post(socket_.get_executor(), asio::use_awaitable);
  }
  co_return error_code{};
}

void ClientStream::CancelWait() {
  error_code ignored;  // nothing to cancel is fine
  socket_.cancel(ignored);
}

void ClientStream::SendCloseNotify() {
  if (tls_ == nullptr || close_notify_sent_) return;
  close_notify_sent_ = true;
  // One non-blocking attempt; a peer that cannot take it now is being closed anyway.
  ClearErrors();
  if (SSL_shutdown(tls_.get()) < 0) ERR_clear_error();
}

}  // namespace tollgate::gateway
