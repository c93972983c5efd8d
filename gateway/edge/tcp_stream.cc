// send(2)/sendfile(2) loops that wait for writability through Asio on EAGAIN.
#include "edge/tcp_stream.h"

#include <sys/sendfile.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/use_awaitable.hpp"

namespace tollgate::gateway {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// Bytes per sendfile call: large enough to keep syscalls few, small enough that one fast
// client cannot starve the other connections of its thread.
constexpr uint64_t kSendfileChunk = 1 << 20;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

error_code LastError() { return error_code(errno, boost::system::system_category()); }

}  // namespace

TcpStream::TcpStream(asio::ip::tcp::socket socket,
                     std::chrono::steady_clock::duration send_timeout)
    : socket_(std::move(socket)), send_timeout_(send_timeout) {
  error_code ignored;  // a peer that already left shows up on the first read instead
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  socket_.non_blocking(true, ignored);
}

asio::awaitable<error_code> TcpStream::Write(std::string_view data, bool more,
                                             ConnectionDeadline& deadline) {
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

asio::awaitable<error_code> TcpStream::SendFile(int file_fd, uint64_t offset, uint64_t length,
                                                ConnectionDeadline& deadline) {
  auto position = static_cast<off_t>(offset);
  uint64_t remaining = length;
  while (remaining > 0) {
    const size_t chunk = static_cast<size_t>(std::min(remaining, kSendfileChunk));
    const ssize_t sent = ::sendfile(socket_.native_handle(), file_fd, &position, chunk);
    if (sent > 0) {
      remaining -= static_cast<uint64_t>(sent);
      deadline.Arm(send_timeout_);
      // Let the thread's other connections run before the next chunk.
      if (remaining > 0 && static_cast<size_t>(sent) == chunk) {
        co_await asio::post(socket_.get_executor(), asio::use_awaitable);
      }
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

asio::awaitable<error_code> TcpStream::WaitReadable() {
  auto [ec] = co_await socket_.async_wait(asio::socket_base::wait_read, kNoThrow);
  co_return ec;
}

void TcpStream::CancelWait() {
  error_code ignored;  // nothing to cancel is fine
  socket_.cancel(ignored);
}

}  // namespace tollgate::gateway
