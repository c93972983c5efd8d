// A per-connection watchdog: whoever does I/O moves the deadline forward with Arm(), and
// the socket is shut down (both ways, pending waits cancelled) when the deadline passes; its
// owner still closes it. Arming costs a clock read, no syscall,
// so it can be re-armed after every chunk of a long body (a progress deadline).
#pragma once

#include <chrono>
#include <memory>

#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"

namespace tollgate::gateway {

class ConnectionDeadline {
 public:
  // Starts watching `socket` on its executor; no deadline until the first Arm(). Construct
  // and destroy on the socket's thread, and destroy before the socket.
  explicit ConnectionDeadline(boost::asio::ip::tcp::socket& socket);
  ~ConnectionDeadline();
  ConnectionDeadline(const ConnectionDeadline&) = delete;
  ConnectionDeadline& operator=(const ConnectionDeadline&) = delete;

  // Moves the deadline to now + `budget`. Moving it later costs nothing; moving it earlier
  // than the watch's current wake-up wakes the watch so it re-reads the deadline.
  void Arm(std::chrono::steady_clock::duration budget) {
    const auto expiry = std::chrono::steady_clock::now() + budget;
    state_->expiry = expiry;
    if (expiry < state_->timer.expiry()) state_->timer.cancel();
  }

 private:
  // Shared with the watch loop, which may still be waking up after this object is gone.
  struct State {
    explicit State(boost::asio::ip::tcp::socket& s) : socket(&s), timer(s.get_executor()) {}
    boost::asio::ip::tcp::socket* socket;  // null once the owner stopped watching
    boost::asio::steady_timer timer;
    std::chrono::steady_clock::time_point expiry = std::chrono::steady_clock::time_point::max();
  };
  std::shared_ptr<State> state_;
};

}  // namespace tollgate::gateway
