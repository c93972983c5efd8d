// One coroutine per connection: read until a blank line, count, answer by the script.
#include "load_test_server.h"

#include <string_view>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/ssl/stream.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/asio/write.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::load::testing {
namespace asio = boost::asio;
using asio::ip::tcp;

struct ScriptedServer::Impl {
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::shared_ptr<asio::ssl::context> tls;
};

struct ServerAccess {
  static constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

  template <typename Stream>
  static asio::awaitable<void> Serve(ScriptedServer& server, Stream& stream) {
    std::string pending;
    char chunk[16384];
    for (;;) {
      size_t end = pending.find("\r\n\r\n");
      while (end == std::string::npos) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(chunk), kNoThrow);
        if (ec) co_return;
        pending.append(chunk, n);
        end = pending.find("\r\n\r\n");
      }
      const std::string head = pending.substr(0, end + 4);
      pending.erase(0, end + 4);
      const uint64_t number = server.requests_.fetch_add(1);
      const ScriptedReply reply = server.script_(number);
      {
        std::lock_guard<std::mutex> lock(server.mutex_);
        if (server.heads_.size() < 100) server.heads_.push_back(head);
        if (reply.status != 0) ++server.statuses_[reply.status];
        if (!reply.reason.empty()) ++server.reasons_[reply.reason];
      }
      if (reply.silent) {
        // Holds the connection until the client gives up.
        co_await stream.async_read_some(asio::buffer(chunk), kNoThrow);
        co_return;
      }
      auto [ec, n] = co_await asio::async_write(stream, asio::buffer(reply.bytes), kNoThrow);
      if (ec) co_return;
      if (reply.endless_head) {
        const std::string line = "X-Filler: " + std::string(1000, 'a') + "\r\n";
        // Bounded: 1 GB, far beyond any head limit; the client leaves long before.
        for (int i = 0; i < 1000000; ++i) {
          auto [write_ec, written] =
              co_await asio::async_write(stream, asio::buffer(line), kNoThrow);
          if (write_ec) co_return;
        }
        co_return;
      }
      if (reply.close_after) co_return;
    }
  }

  static asio::awaitable<void> Connection(ScriptedServer& server, tcp::socket socket) {
    server.connections_.fetch_add(1);
    boost::system::error_code ec;
    const tcp::endpoint remote = socket.remote_endpoint(ec);
    if (!ec) {
      std::lock_guard<std::mutex> lock(server.mutex_);
      server.clients_.insert(remote.address().to_string());
    }
    if (!server.impl_->tls) {
      co_await Serve(server, socket);
      socket.shutdown(tcp::socket::shutdown_both, ec);
      co_return;
    }
    asio::ssl::stream<tcp::socket> stream(std::move(socket), *server.impl_->tls);
    auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kNoThrow);
    if (handshake_ec) co_return;
    co_await Serve(server, stream);
    stream.next_layer().shutdown(tcp::socket::shutdown_both, ec);
  }

  static asio::awaitable<void> Accept(ScriptedServer& server) {
    for (;;) {
      auto [ec, socket] = co_await server.impl_->acceptor.async_accept(kNoThrow);
      if (ec) co_return;
      asio::co_spawn(server.impl_->io, Connection(server, std::move(socket)), asio::detached);
    }
  }
};

ScriptedServer::ScriptedServer(Script script, std::shared_ptr<asio::ssl::context> tls)
    : impl_(std::make_unique<Impl>()), script_(std::move(script)), tls_(tls != nullptr) {
  impl_->tls = std::move(tls);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, ServerAccess::Accept(*this), asio::detached);
  thread_ = std::thread([this] { impl_->io.run(); });
}

ScriptedServer::~ScriptedServer() {
  impl_->io.stop();
  thread_.join();
}

std::string ScriptedServer::Url(std::string_view path) const {
  return Concat(tls_ ? "https" : "http", "://127.0.0.1:", port_, path);
}

std::map<int, uint64_t> ScriptedServer::statuses() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return statuses_;
}

std::map<std::string, uint64_t> ScriptedServer::reasons() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return reasons_;
}

std::set<std::string> ScriptedServer::client_addresses() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return clients_;
}

std::vector<std::string> ScriptedServer::heads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return heads_;
}

ScriptedReply ScriptedServer::Ok(size_t size, bool chunked, bool close) {
  ScriptedReply reply;
  reply.status = 200;
  reply.close_after = close;
  const std::string body(size, 'x');
  reply.bytes = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n";
  if (close) reply.bytes += "Connection: close\r\n";
  if (chunked) {
    reply.bytes += "Transfer-Encoding: chunked\r\n\r\n";
    // Two chunks (hex sizes) and the last chunk with a trailer.
    const size_t first = size / 2;
    char line[32];
    std::snprintf(line, sizeof line, "%zx;ext=1\r\n", first);
    reply.bytes += line + body.substr(0, first) + "\r\n";
    std::snprintf(line, sizeof line, "%zx\r\n", size - first);
    reply.bytes += line + body.substr(first) + "\r\n0\r\nX-Trailer: 1\r\n\r\n";
  } else {
    reply.bytes += Concat("Content-Length: ", size, "\r\n\r\n") + body;
  }
  return reply;
}

ScriptedReply ScriptedServer::Denied(int status, std::string_view reason) {
  ScriptedReply reply;
  reply.status = status;
  reply.reason = std::string(reason);
  const std::string body = Concat("{\"code\": \"", reason, "\", \"detail\": \"denied\"}");
  reply.bytes =
      Concat("HTTP/1.1 ", status, " Forbidden\r\nContent-Type: application/json\r\n",
             "X-Tollgate-Reason: ", reason, "\r\nContent-Length: ", body.size(), "\r\n\r\n", body);
  return reply;
}

}  // namespace tollgate::gateway::load::testing
