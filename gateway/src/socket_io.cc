// send(2)/sendfile(2) loops that wait for writability through Asio on EAGAIN.
#include "socket_io.h"

#include <sys/sendfile.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/buffer.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/core/buffers_range.hpp"
#include "boost/beast/http/serializer.hpp"

namespace tollgate::gateway {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

// A client that reads slower than this per write is cut off (nginx's send_timeout).
constexpr auto kWriteProgressBudget = std::chrono::seconds(60);
// Bytes per sendfile call: large enough to keep syscalls few, small enough that one fast
// client cannot starve the other connections of its thread.
constexpr uint64_t kSendfileChunk = 1 << 20;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

}  // namespace

void SerializeHeader(const http::response<http::empty_body>& head, std::string& out) {
  out.clear();
  http::serializer<false, http::empty_body> serializer(head);
  serializer.split(true);
  error_code ec;
  while (!ec && !serializer.is_header_done()) {
    serializer.next(ec, [&](error_code&, const auto& buffers) {
      for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
        out.append(static_cast<const char*>(buffer.data()), buffer.size());
      }
      serializer.consume(asio::buffer_size(buffers));
    });
  }
}

asio::awaitable<error_code> SendAll(asio::ip::tcp::socket& socket, std::string_view data, bool more,
                                    ConnectionDeadline& deadline) {
  const int flags = MSG_NOSIGNAL | (more ? MSG_MORE : 0);
  while (!data.empty()) {
    const ssize_t sent = ::send(socket.native_handle(), data.data(), data.size(), flags);
    if (sent >= 0) {
      data.remove_prefix(static_cast<size_t>(sent));
      deadline.Arm(kWriteProgressBudget);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      co_return error_code(errno, boost::system::system_category());
    }
    auto [ec] = co_await socket.async_wait(asio::socket_base::wait_write, kNoThrow);
    if (ec) co_return ec;
  }
  co_return error_code{};
}

asio::awaitable<error_code> SendFile(asio::ip::tcp::socket& socket, int file_fd, uint64_t offset,
                                     uint64_t length, ConnectionDeadline& deadline) {
  auto position = static_cast<off_t>(offset);
  uint64_t remaining = length;
  while (remaining > 0) {
    const size_t chunk = static_cast<size_t>(std::min(remaining, kSendfileChunk));
    const ssize_t sent = ::sendfile(socket.native_handle(), file_fd, &position, chunk);
    if (sent > 0) {
      remaining -= static_cast<uint64_t>(sent);
      deadline.Arm(kWriteProgressBudget);
      // Let the thread's other connections run before the next chunk.
      if (remaining > 0 && static_cast<size_t>(sent) == chunk) {
        co_await asio::post(socket.get_executor(), asio::use_awaitable);
      }
      continue;
    }
    if (sent == 0) co_return error_code(EIO, boost::system::system_category());  // file shrank
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      co_return error_code(errno, boost::system::system_category());
    }
    auto [ec] = co_await socket.async_wait(asio::socket_base::wait_write, kNoThrow);
    if (ec) co_return ec;
  }
  co_return error_code{};
}

}  // namespace tollgate::gateway
