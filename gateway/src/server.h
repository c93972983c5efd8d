// Listeners, worker threads and graceful shutdown. Connections are accepted on the first
// worker and handed round-robin to all of them; each worker runs one io_context.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/asio/any_io_executor.hpp"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "config.h"
#include "connection_count.h"
#include "worker.h"

namespace tollgate::gateway {

// Serves one accepted connection on its worker's thread.
using ConnectionHandler =
    std::function<boost::asio::awaitable<void>(boost::asio::ip::tcp::socket, Worker&)>;

class Server {
 public:
  Server(int threads, absl::Duration drain_timeout);
  ~Server();

  // Binds and starts accepting on `address`. Returns the bound endpoint (useful with port
  // 0), or Unavailable naming the address when it cannot be bound.
  absl::StatusOr<boost::asio::ip::tcp::endpoint> Listen(const ListenAddress& address,
                                                        ConnectionHandler handler);

  // The first worker's executor, for background work that needs an event loop.
  boost::asio::any_io_executor executor() { return workers_.front()->context.get_executor(); }

  // Runs until SIGINT or SIGTERM, then stops accepting, lets in-flight responses finish
  // (at most the drain timeout) and returns.
  void Run();

 private:
  boost::asio::awaitable<void> Accept(boost::asio::ip::tcp::acceptor& acceptor,
                                      ConnectionHandler handler);
  boost::asio::awaitable<void> Serve(boost::asio::ip::tcp::socket socket, Worker& worker,
                                     ConnectionHandler handler);
  boost::asio::awaitable<void> Drain();

  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
  ConnectionCount connections_;
  size_t next_worker_ = 0;
  absl::Duration drain_timeout_;
};

}  // namespace tollgate::gateway
