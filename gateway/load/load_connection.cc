// The per-connection loop, written once over a transport (plain TCP or TLS). The watchdog of
// the thread (load_thread.cc) ends a request that overstays its deadline by closing the socket.
#include "load/load_connection.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/ssl/error.hpp"
#include "boost/asio/ssl/stream.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/asio/write.hpp"
#include "load/load_thread.h"

// Linux ≥ 4.2; glibc's <netinet/in.h> does not define it.
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace tollgate::gateway::load {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// After a failed connect, a pause so that a refusing server is not hammered in a tight loop.
constexpr auto kConnectBackoff = std::chrono::milliseconds(20);

// Opens `socket`, binds it to the connection's source address when the plan has a range, and
// connects it to the plan's server.
asio::awaitable<error_code> ConnectTcp(tcp::socket& socket, const LoadPlan& plan, int run_index) {
  error_code ec;
  socket.open(plan.server.protocol(), ec);
  if (ec) co_return ec;
  if (plan.sources) {
    // The port is chosen at connect(), by the whole 4-tuple, so many connections from few
    // source addresses do not run out of ports at bind().
    const int one = 1;
    ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    socket.bind(tcp::endpoint(plan.sources->At(static_cast<uint64_t>(run_index)), 0), ec);
    if (ec) co_return ec;
  }
  auto [connect_ec] = co_await socket.async_connect(plan.server, kNoThrow);
  if (connect_ec) co_return connect_ec;
  socket.set_option(tcp::no_delay(true), ec);
  co_return error_code{};
}

class PlainTransport {
 public:
  PlainTransport(asio::io_context& io, const LoadPlan&) : socket_(io) {}

  tcp::socket& stream() { return socket_; }
  bool is_open() const { return socket_.is_open(); }

  asio::awaitable<std::optional<ErrorKind>> Connect(const LoadPlan& plan, LoadConnection& c) {
    c.socket = &socket_;
    const error_code ec = co_await ConnectTcp(socket_, plan, c.run_index);
    if (ec) co_return ErrorKind::kConnect;
    co_return std::nullopt;
  }

  void Close() {
    error_code ignored;
    socket_.close(ignored);
  }

 private:
  tcp::socket socket_;
};

class TlsTransport {
 public:
  using Stream = asio::ssl::stream<tcp::socket>;

  TlsTransport(asio::io_context& io, const LoadPlan&) : io_(io) {}

  Stream& stream() { return *stream_; }
  bool is_open() const { return stream_ && stream_->next_layer().is_open(); }

  asio::awaitable<std::optional<ErrorKind>> Connect(const LoadPlan& plan, LoadConnection& c) {
    // A TLS stream serves one connection; a reconnect needs a fresh one.
    stream_.emplace(io_, *plan.tls);
    c.socket = &stream_->next_layer();
    const std::string& host = plan.targets.origin.host;
    error_code not_address;
    asio::ip::make_address(host, not_address);
    // Server Name Indication names hosts, never addresses (RFC 6066).
    // SSL_set_tlsext_host_name, without the macro's C cast.
    if (not_address && SSL_ctrl(stream_->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                                TLSEXT_NAMETYPE_host_name, const_cast<char*>(host.c_str())) != 1) {
      co_return ErrorKind::kTls;
    }
    const error_code ec = co_await ConnectTcp(stream_->next_layer(), plan, c.run_index);
    if (ec) co_return ErrorKind::kConnect;
    auto [handshake_ec] = co_await stream_->async_handshake(Stream::client, kNoThrow);
    if (handshake_ec) co_return ErrorKind::kTls;
    co_return std::nullopt;
  }

  void Close() {
    // No close_notify: the load run is done with the connection and owes the server nothing.
    if (!stream_) return;
    error_code ignored;
    stream_->next_layer().close(ignored);
  }

 private:
  asio::io_context& io_;
  std::optional<Stream> stream_;
};

int64_t SinceStart(const LoadThread& thread, Clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(at - thread.start).count();
}

template <typename Transport>
asio::awaitable<void> Drive(LoadThread& thread, LoadConnection& c) {
  const LoadPlan& plan = thread.plan;
  const std::vector<std::string>& requests = plan.targets.requests;
  Transport transport(thread.io, plan);
  char* const buffer = c.buffer.get();
  constexpr size_t kBufferBytes = LoadConnection::kBufferBytes;
  Clock::time_point now = Clock::now();
  Schedule::Ticket ticket;
  while (thread.schedule->Next(now, ticket)) {
    if (ticket.due > now) {
      c.timer.expires_at(ticket.due);
      co_await c.timer.async_wait(kNoThrow);
      if (thread.cutting) break;
      now = Clock::now();
    }
    c.deadline = std::max(now, ticket.due) + plan.timeout;
    c.timed_out = false;
    std::optional<ErrorKind> failure;
    uint64_t received = 0;
    if (!transport.is_open()) failure = co_await transport.Connect(plan, c);
    if (!failure) {
      const std::string& request = requests[ticket.number % requests.size()];
      auto [ec, sent] =
          co_await asio::async_write(transport.stream(), asio::buffer(request), kNoThrow);
      if (ec) failure = ErrorKind::kSend;
    }
    if (!failure) {
      c.parser.Reset();
      if (c.end > c.begin) c.begin += c.parser.Parse(buffer + c.begin, c.end - c.begin);
      while (!c.parser.done() && !c.parser.failed()) {
        if (c.begin == c.end) {
          c.begin = c.end = 0;
        } else if (kBufferBytes - c.end < ResponseParser::kMaxLineBytes) {
          std::memmove(buffer, buffer + c.begin, c.end - c.begin);
          c.end -= c.begin;
          c.begin = 0;
        }
        auto [ec, n] = co_await transport.stream().async_read_some(
            asio::buffer(buffer + c.end, kBufferBytes - c.end), kNoThrow);
        if (ec) {
          // A body that runs until close ends here; TLS peers often skip close_notify.
          if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) c.parser.Eof();
          if (!c.parser.done()) failure = ErrorKind::kReceive;
          break;
        }
        received += n;
        c.end += n;
        c.begin += c.parser.Parse(buffer + c.begin, c.end - c.begin);
      }
      if (!failure && c.parser.failed()) failure = ErrorKind::kMalformed;
    }
    now = Clock::now();
    c.deadline = Clock::time_point::max();
    const int64_t at = SinceStart(thread, now);
    if (failure) {
      if (c.cut) {
        failure = ErrorKind::kUnfinished;
      } else if (c.timed_out) {
        failure = ErrorKind::kTimeout;
      }
      thread.tally.RecordError(*failure, at, received);
      thread.progress.Add(thread.progress.errors, 1);
      thread.progress.Add(thread.progress.bytes, received);
      transport.Close();
      c.begin = c.end = 0;
      if (c.cut) break;
      if (*failure == ErrorKind::kConnect || *failure == ErrorKind::kTls) {
        c.timer.expires_after(kConnectBackoff);
        co_await c.timer.async_wait(kNoThrow);
        now = Clock::now();
      }
      continue;
    }
    const auto latency = std::chrono::duration_cast<std::chrono::nanoseconds>(now - ticket.due);
    thread.tally.RecordResponse(at, static_cast<uint64_t>(std::max<int64_t>(0, latency.count())),
                                c.parser.status(), c.parser.reason(), received);
    thread.progress.Add(thread.progress.responses, 1);
    thread.progress.Add(thread.progress.bytes, received);
    if (!c.parser.keep_alive()) {
      transport.Close();
      c.begin = c.end = 0;
    }
  }
  transport.Close();
  c.socket = nullptr;
  --thread.active;
}

}  // namespace

LoadConnection::LoadConnection(asio::io_context& io, int index)
    : run_index(index), timer(io), buffer(new char[kBufferBytes]) {}

void LoadConnection::Abort() {
  if (socket == nullptr) return;
  error_code ignored;
  socket->close(ignored);
}

asio::awaitable<void> RunConnection(LoadThread& thread, LoadConnection& connection) {
  if (thread.plan.tls) {
    co_await Drive<TlsTransport>(thread, connection);
  } else {
    co_await Drive<PlainTransport>(thread, connection);
  }
}

}  // namespace tollgate::gateway::load
