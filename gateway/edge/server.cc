// Accept loops, worker threads and the drain on SIGINT/SIGTERM.
#include "edge/server.h"

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/signal_set.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "edge/client_stream.h"
#include "edge/connection.h"
#include "edge/refuse_connection.h"
#include "http/denial_response.h"
#include "observe/log.h"
#include "observe/metrics.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
}  // namespace

Server::Server(int download_threads, absl::Duration drain_timeout) : drain_timeout_(drain_timeout) {
  for (int i = 0; i < download_threads; ++i) {
    download_workers_.push_back(std::make_unique<Worker>());
  }
  admin_workers_.push_back(std::make_unique<Worker>());
  // Caught from here on, before any listener is up: a SIGHUP sent as soon as the server says
  // it listens must reload, not end the process (the default action).
  asio::io_context& main_loop = download_workers_.front()->context;
  stop_signals_ = std::make_unique<asio::signal_set>(main_loop, SIGINT, SIGTERM);
  hangup_signals_ = std::make_unique<asio::signal_set>(main_loop, SIGHUP);
}

Server::~Server() {
  for (Worker* worker : AllWorkers()) {
    if (worker->thread.joinable()) worker->thread.join();
  }
}

std::vector<Worker*> Server::AllWorkers() {
  std::vector<Worker*> all;
  for (Workers* pool : {&download_workers_, &admin_workers_}) {
    for (auto& worker : *pool) all.push_back(worker.get());
  }
  return all;
}

absl::StatusOr<tcp::endpoint> Server::Listen(const ListenAddress& address, WorkerPool pool,
                                             ListenerOptions options, ConnectionHandler handler) {
  Workers& workers = pool == WorkerPool::kDownload ? download_workers_ : admin_workers_;
  const std::string where = Concat(address.host, ":", address.port);
  error_code ec;
  const asio::ip::address ip = asio::ip::make_address(address.host, ec);
  if (ec) return absl::InvalidArgumentError(Concat("'", address.host, "' is not an IP address"));
  auto acceptor = std::make_unique<tcp::acceptor>(workers.front()->context);
  const tcp::endpoint endpoint(ip, address.port);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return absl::UnavailableError(Concat("cannot listen on ", where, ": ", ec.message()));
  const tcp::endpoint bound = acceptor->local_endpoint();
  listeners_.push_back(std::make_unique<Listener>(std::move(options)));
  asio::co_spawn(workers.front()->context,
                 Accept(*acceptor, workers, *listeners_.back(), std::move(handler)),
                 asio::detached);
  acceptors_.push_back(std::move(acceptor));
  return bound;
}

asio::awaitable<void> Server::Accept(tcp::acceptor& acceptor, Workers& pool, Listener& listener,
                                     ConnectionHandler handler) {
  asio::steady_timer backoff(acceptor.get_executor());
  std::chrono::steady_clock::time_point last_logged;
  int unlogged_failures = 0;
  size_t next_worker = 0;
  while (acceptor.is_open()) {
    Worker& worker = *pool[next_worker++ % pool.size()];
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
    error_code peer_error;
    const tcp::endpoint peer = socket.remote_endpoint(peer_error);
    if (peer_error) continue;  // the client already left
    ConnectionAdmission::Decision admitted = listener.admission.Admit(peer.address());
    if (admitted.refusal) {
      if (listener.options.tls != nullptr) continue;  // closed: no answer before a handshake
      metrics::RecordRefusedConnection(listener.options.listener,
                                       static_cast<unsigned>(DenialStatus(*admitted.refusal)),
                                       *admitted.refusal);
      asio::co_spawn(worker.context, Refuse(std::move(socket), *admitted.refusal), asio::detached);
      continue;
    }
    connections_.Opened();
    asio::co_spawn(worker.context,
                   Serve(std::move(socket), worker, listener, std::move(admitted.ticket), handler),
                   asio::detached);
  }
}

asio::awaitable<void> Server::Serve(tcp::socket socket, Worker& worker, const Listener& listener,
                                    // Held, not used: its place is given back when the frame ends.
                                    [[maybe_unused]] ConnectionAdmission::Ticket ticket,
                                    ConnectionHandler handler) {
  // Counted closed however the handler ends, or a throwing handler would hold up the drain.
  // Not a scope guard: a frame still suspended when its io_context is destroyed (in ~Server,
  // after `connections_`, which is declared later) must not touch the count.
  try {
    Connection connection(std::move(socket), worker, listener.options);
    // The handshake runs within the header deadline armed at the accept. A client that does
    // not speak TLS (plain HTTP on the TLS port) is closed without a word.
    const bool ready = listener.options.tls == nullptr ||
                       !co_await connection.stream().Handshake(listener.options.tls->NewSession());
    if (ready) {
      co_await handler(connection);
      co_await connection.Close();
    }
  } catch (...) {
    connections_.Closed();
    throw;
  }
  connections_.Closed();
}

asio::awaitable<void> Server::Refuse(tcp::socket socket, policy::Reason reason) {
  // Lingering holds a descriptor for up to a second; under a flood of refusals only a bounded
  // number do, the rest are closed at once.
  constexpr int kMaxLingeringRefusals = 256;
  const bool linger =
      lingering_refusals_.fetch_add(1, std::memory_order_relaxed) < kMaxLingeringRefusals;
  co_await RefuseConnection(std::move(socket), reason, linger);
  lingering_refusals_.fetch_sub(1, std::memory_order_relaxed);
}

asio::awaitable<void> Server::Drain() {
  for (auto& acceptor : acceptors_) acceptor->close();
  for (Worker* w : AllWorkers()) {
    asio::post(w->context, [w] {
      w->stopping = true;
      for (ConnectionLink& link : w->connections) {
        if (link.idle) link.stream->CancelWait();
      }
    });
  }
  LogEvent("info", "draining", {{"open_connections", Concat(connections_.Open())}});
  asio::steady_timer poll(download_workers_.front()->context);
  const absl::Time give_up = absl::Now() + drain_timeout_;
  while (connections_.Open() > 0 && absl::Now() < give_up) {
    poll.expires_after(std::chrono::milliseconds(20));
    co_await poll.async_wait(kNoThrow);
  }
  LogEvent("info", "stopped", {{"abandoned_connections", Concat(connections_.Open())}});
  for (Worker* worker : AllWorkers()) worker->context.stop();
}

void Server::WaitForHangup() {
  hangup_signals_->async_wait([this](const error_code& ec, int) {
    if (ec) return;
    if (reload_) reload_();
    WaitForHangup();
  });
}

void Server::Run() {
  Worker& main_worker = *download_workers_.front();
  stop_signals_->async_wait([this, &main_worker](const error_code& ec, int) {
    if (!ec) asio::co_spawn(main_worker.context, Drain(), asio::detached);
  });
  WaitForHangup();
  const std::vector<Worker*> workers = AllWorkers();
  for (Worker* worker : workers) {
    if (worker == &main_worker) continue;
    worker->thread = std::thread([worker] {
      auto guard = asio::make_work_guard(worker->context);
      worker->context.run();
    });
  }
  main_worker.context.run();
  for (Worker* worker : workers) {
    if (worker->thread.joinable()) worker->thread.join();
  }
}

}  // namespace tollgate::gateway
