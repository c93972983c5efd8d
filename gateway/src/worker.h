// One event loop thread and the connections it owns. Each worker's state is touched only
// on its own thread, so it needs no locks.
#pragma once

#include <thread>
#include <unordered_set>

#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"

namespace tollgate::gateway {

struct Worker {
  // Sockets of connections waiting for their next request; cancelled on shutdown so idle
  // keep-alive connections close at once while busy ones finish their response.
  std::unordered_set<boost::asio::ip::tcp::socket*> idle;
  bool stopping = false;
  std::thread thread;
  // Declared last so it is destroyed first: destroying it ends the coroutines of open
  // connections, whose destructors still use `idle`.
  boost::asio::io_context context{1};
};

}  // namespace tollgate::gateway
