// One non-blocking send of a canned denial; it is small enough for any socket buffer.
#include "edge/refuse_connection.h"

#include <sys/socket.h>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "edge/connection_deadline.h"
#include "http/denial_response.h"
#include "http/http_date.h"
#include "http/response_head.h"

namespace tollgate::gateway {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {
constexpr auto kRefusalLinger = std::chrono::seconds(1);
constexpr size_t kMaxRefusalLingerBytes = 64 * 1024;
}  // namespace

asio::awaitable<void> RefuseConnection(asio::ip::tcp::socket socket, policy::Reason reason,
                                       bool linger) {
  ResponseHead head;
  std::string body;
  WriteDenial(reason, "tollgate", "", head, body);
  if (reason == policy::Reason::kServerBusy) head.Set("Retry-After", "1");
  std::string wire;
  head.Serialize(11, /*keep_alive=*/false, CurrentHttpDate(), wire);
  wire += body;
  error_code ec;
  ::send(socket.native_handle(), wire.data(), wire.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (!ec && linger) {
    ConnectionDeadline deadline(socket);
    deadline.Arm(kRefusalLinger);
    char discard[4096];
    for (size_t drained = 0; drained < kMaxRefusalLingerBytes;) {
      auto [read_error, bytes] = co_await socket.async_read_some(
          asio::buffer(discard, sizeof discard), asio::as_tuple(asio::use_awaitable));
      if (read_error) break;  // the client closed, or the deadline closed the socket
      drained += bytes;
    }
  }
  socket.close(ec);
}

}  // namespace tollgate::gateway
