// One buffer, two waits: read from the origin, then write all of it to the client.
#include "download/origin_relay.h"

#include <cerrno>
#include <charconv>
#include <memory>
#include <span>
#include <string>

#include "observe/log.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// Sends `data` as one chunk of a chunked body.
asio::awaitable<error_code> SendChunk(ClientStream& client, std::string_view data,
                                      ConnectionDeadline& deadline) {
  char size[20];
  const auto end = std::to_chars(size, size + sizeof size - 2, data.size(), 16).ptr;
  const std::string line = Concat(std::string_view(size, end - size), "\r\n");
  if (error_code ec = co_await client.Write(line, true, deadline)) co_return ec;
  if (error_code ec = co_await client.Write(data, true, deadline)) co_return ec;
  co_return co_await client.Write("\r\n", false, deadline);
}

}  // namespace

asio::awaitable<RelayResult> RelayOriginBody(storage::OriginResponse& body, ClientStream& client,
                                             ConnectionDeadline& deadline,
                                             absl::Duration origin_read_timeout, bool chunked) {
  // The origin's own read deadline ends a stalled read first; the slack only keeps the
  // client's watchdog from firing while that happens.
  const auto origin_wait = absl::ToChronoNanoseconds(origin_read_timeout + absl::Seconds(5));
  const auto buffer = std::make_unique_for_overwrite<char[]>(kRelayBufferBytes);
  RelayResult result;
  for (;;) {
    deadline.Arm(origin_wait);
    absl::StatusOr<size_t> got =
        co_await body.Read(std::span<char>(buffer.get(), kRelayBufferBytes));
    if (!got.ok()) {
      LogEvent("warn", "origin_body_failed", {{"error", ToStd(got.status().message())}});
      const int code = absl::IsDeadlineExceeded(got.status()) ? ETIMEDOUT : EIO;
      result.error = error_code(code, boost::system::system_category());
      co_return result;
    }
    if (*got == 0) break;
    const std::string_view data(buffer.get(), *got);
    // Not a conditional expression: GCC 12 runs both co_await operands of one.
    if (chunked) {
      result.error = co_await SendChunk(client, data, deadline);
    } else {
      result.error = co_await client.Write(data, false, deadline);
    }
    if (result.error) co_return result;
    result.bytes += *got;
  }
  if (chunked) result.error = co_await client.Write("0\r\n\r\n", false, deadline);
  co_return result;
}

}  // namespace tollgate::gateway
