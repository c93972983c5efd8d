// Accept loops, worker threads and the drain on SIGINT/SIGTERM.
#include "server.h"

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/signal_set.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "log.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
}  // namespace

Server::Server(int threads, absl::Duration drain_timeout) : drain_timeout_(drain_timeout) {
  for (int i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>());
}

Server::~Server() {
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
}

absl::StatusOr<tcp::endpoint> Server::Listen(const ListenAddress& address,
                                             ConnectionHandler handler) {
  const std::string where = Concat(address.host, ":", address.port);
  error_code ec;
  const asio::ip::address ip = asio::ip::make_address(address.host, ec);
  if (ec) return absl::InvalidArgumentError(Concat("'", address.host, "' is not an IP address"));
  auto acceptor = std::make_unique<tcp::acceptor>(workers_.front()->context);
  const tcp::endpoint endpoint(ip, address.port);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return absl::UnavailableError(Concat("cannot listen on ", where, ": ", ec.message()));
  const tcp::endpoint bound = acceptor->local_endpoint();
  asio::co_spawn(workers_.front()->context, Accept(*acceptor, std::move(handler)), asio::detached);
  acceptors_.push_back(std::move(acceptor));
  return bound;
}

asio::awaitable<void> Server::Accept(tcp::acceptor& acceptor, ConnectionHandler handler) {
  asio::steady_timer backoff(acceptor.get_executor());
  std::chrono::steady_clock::time_point last_logged;
  int unlogged_failures = 0;
  while (acceptor.is_open()) {
    Worker& worker = *workers_[next_worker_++ % workers_.size()];
    auto [ec, socket] = co_await acceptor.async_accept(worker.context, kNoThrow);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
    if (ec) {
      // Keep serving the others. A connection reset before accept took itself off the queue,
      // but out of descriptors (EMFILE) fails again at once until one closes: retrying
      // straight away spins a core, and logging each failure floods the log.
      ++unlogged_failures;
      const auto now = std::chrono::steady_clock::now();
      if (now - last_logged >= std::chrono::seconds(1)) {
        LogEvent("warn", "accept_failed",
                 {{"error", ec.message()}, {"failures", Concat(unlogged_failures)}});
        last_logged = now;
        unlogged_failures = 0;
      }
      if (ec != asio::error::connection_aborted) {
        backoff.expires_after(std::chrono::milliseconds(100));
        co_await backoff.async_wait(kNoThrow);
      }
      continue;
    }
    connections_.Opened();
    asio::co_spawn(worker.context, Serve(std::move(socket), worker, handler), asio::detached);
  }
}

asio::awaitable<void> Server::Serve(tcp::socket socket, Worker& worker, ConnectionHandler handler) {
  // Counted closed however the handler ends, or a throwing handler would hold up the drain.
  // Not a scope guard: a frame still suspended when its io_context is destroyed (in ~Server,
  // after `connections_`, which is declared later) must not touch the count.
  try {
    co_await handler(std::move(socket), worker);
  } catch (...) {
    connections_.Closed();
    throw;
  }
  connections_.Closed();
}

asio::awaitable<void> Server::Drain() {
  for (auto& acceptor : acceptors_) acceptor->close();
  for (auto& worker : workers_) {
    Worker* w = worker.get();
    asio::post(w->context, [w] {
      w->stopping = true;
      for (tcp::socket* idle : w->idle) idle->cancel();
    });
  }
  LogEvent("info", "draining", {{"open_connections", Concat(connections_.Open())}});
  asio::steady_timer poll(workers_.front()->context);
  const absl::Time give_up = absl::Now() + drain_timeout_;
  while (connections_.Open() > 0 && absl::Now() < give_up) {
    poll.expires_after(std::chrono::milliseconds(20));
    co_await poll.async_wait(kNoThrow);
  }
  LogEvent("info", "stopped", {{"abandoned_connections", Concat(connections_.Open())}});
  for (auto& worker : workers_) worker->context.stop();
}

void Server::Run() {
  asio::signal_set signals(workers_.front()->context, SIGINT, SIGTERM);
  signals.async_wait([this](const error_code& ec, int) {
    if (!ec) asio::co_spawn(workers_.front()->context, Drain(), asio::detached);
  });
  for (size_t i = 1; i < workers_.size(); ++i) {
    Worker* worker = workers_[i].get();
    worker->thread = std::thread([worker] {
      auto guard = asio::make_work_guard(worker->context);
      worker->context.run();
    });
  }
  workers_.front()->context.run();
  for (size_t i = 1; i < workers_.size(); ++i) workers_[i]->thread.join();
}

}  // namespace tollgate::gateway
