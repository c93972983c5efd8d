// One event loop thread and the connections it owns. Each worker's state is touched only
// on its own thread, so it needs no locks.
#pragma once

#include <thread>

#include "boost/asio/io_context.hpp"
#include "boost/intrusive/list.hpp"

namespace tollgate::gateway {

class ClientStream;

// A connection as its worker sees it, linked into the worker's list for the connection's whole
// life (unlinked by its destructor), so shutdown finds the idle ones without an allocation per
// request.
struct ConnectionLink
    : boost::intrusive::list_base_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>> {
  ClientStream* stream = nullptr;
  bool idle = false;  // waiting for its next request
};

struct Worker {
  // Open connections; on shutdown the idle ones are cancelled so they close at once while busy
  // ones finish their response.
  boost::intrusive::list<ConnectionLink, boost::intrusive::constant_time_size<false>> connections;
  bool stopping = false;
  std::thread thread;
  // Declared last so it is destroyed first: destroying it ends the coroutines of open
  // connections, whose destructors still unlink themselves from `connections`.
  boost::asio::io_context context{1};
};

}  // namespace tollgate::gateway
