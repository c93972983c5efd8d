// Listeners, worker threads and graceful shutdown. Two pools of workers, each worker one
// io_context on its own thread: the download pool, and the admin pool, so that admin work
// (blocking store writes, uploads) never runs on a loop that serves downloads. A listener
// accepts on its pool's first worker and hands connections round-robin to that pool.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/asio/any_io_executor.hpp"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/signal_set.hpp"
#include "edge/connection_admission.h"
#include "edge/connection_count.h"
#include "edge/listen_address.h"
#include "edge/listener_options.h"
#include "edge/worker.h"

namespace tollgate::gateway {

class Connection;

// Serves the requests of one admitted connection on its worker's thread; the server closes
// the connection when it returns.
using ConnectionHandler = std::function<boost::asio::awaitable<void>(Connection&)>;

enum class WorkerPool { kDownload, kAdmin };

class Server {
 public:
  // `download_threads` loops serve downloads; the admin pool has one loop.
  Server(int download_threads, absl::Duration drain_timeout);
  ~Server();

  // Binds and starts accepting on `address`, serving its connections on `pool` within
  // `options`' limits. Returns the bound endpoint (useful with port 0), or Unavailable naming
  // the address when it cannot be bound.
  absl::StatusOr<boost::asio::ip::tcp::endpoint> Listen(const ListenAddress& address,
                                                        WorkerPool pool, ListenerOptions options,
                                                        ConnectionHandler handler);

  // The first download worker's executor, for background work that needs an event loop.
  boost::asio::any_io_executor executor() {
    return download_workers_.front()->context.get_executor();
  }

  // Runs `reload` on the first download worker's thread at every SIGHUP (connections go on
  // undisturbed). Call before Run.
  void OnReload(std::function<void()> reload) { reload_ = std::move(reload); }

  // Runs until SIGINT or SIGTERM, then stops accepting, lets in-flight responses finish
  // (at most the drain timeout) and returns.
  void Run();

 private:
  using Workers = std::vector<std::unique_ptr<Worker>>;
  // One listener: what it allows, and who holds its places.
  struct Listener {
    explicit Listener(ListenerOptions listener_options)
        : options(std::move(listener_options)), admission(options) {}
    const ListenerOptions options;
    ConnectionAdmission admission;
  };

  boost::asio::awaitable<void> Accept(boost::asio::ip::tcp::acceptor& acceptor, Workers& pool,
                                      Listener& listener, ConnectionHandler handler);
  boost::asio::awaitable<void> Serve(boost::asio::ip::tcp::socket socket, Worker& worker,
                                     const Listener& listener, ConnectionAdmission::Ticket ticket,
                                     ConnectionHandler handler);
  boost::asio::awaitable<void> Refuse(boost::asio::ip::tcp::socket socket, policy::Reason reason);
  boost::asio::awaitable<void> Drain();
  // Runs the reload handler at the next SIGHUP, and waits again.
  void WaitForHangup();

  // Every worker of both pools, for the drain and the threads.
  std::vector<Worker*> AllWorkers();

  // Declared before the workers so they outlive them: destroying a worker's event loop
  // destroys the frames of its open connections, whose tickets give their place back.
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::atomic<int> lingering_refusals_{0};
  Workers download_workers_;
  Workers admin_workers_;
  // On the first download worker's loop; declared after the workers so they go first.
  std::unique_ptr<boost::asio::signal_set> stop_signals_;    // SIGINT, SIGTERM
  std::unique_ptr<boost::asio::signal_set> hangup_signals_;  // SIGHUP
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
  ConnectionCount connections_;
  absl::Duration drain_timeout_;
  std::function<void()> reload_;
};

}  // namespace tollgate::gateway
