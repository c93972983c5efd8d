// One keep-alive connection of a load thread and the loop that drives it: take a ticket from
// the schedule, (re)connect when needed, send the URL's prepared request, read and count the
// response, repeat. The loop allocates nothing per request: the request bytes are prepared, the
// read buffer is the connection's own and the parser keeps no strings.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "load/load_schedule.h"
#include "load/response_parser.h"

namespace tollgate::gateway::load {

struct LoadThread;

struct LoadConnection {
  // Larger than ResponseParser::kMaxLineBytes so a whole head line always fits.
  static constexpr size_t kBufferBytes = 64 * 1024;

  LoadConnection(boost::asio::io_context& io, int run_index);

  // Closes the socket so that the pending operation ends with an error (the watchdog's way
  // of timing a request out or cutting it). Never fails.
  void Abort();

  const int run_index;  // picks the source address
  boost::asio::steady_timer timer;
  boost::asio::ip::tcp::socket* socket = nullptr;         // the current socket, for Abort
  Clock::time_point deadline = Clock::time_point::max();  // of the request in flight
  bool timed_out = false;
  bool cut = false;
  ResponseParser parser;
  std::unique_ptr<char[]> buffer;
  size_t begin = 0;  // unparsed bytes are buffer[begin, end)
  size_t end = 0;
};

// The connection's loop over plain TCP or TLS (by the plan); finishes when the schedule gives
// no more tickets, then decrements thread.active. Errors are counted, never thrown.
boost::asio::awaitable<void> RunConnection(LoadThread& thread, LoadConnection& connection);

}  // namespace tollgate::gateway::load
