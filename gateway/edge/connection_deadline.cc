// Watchdog loop: sleep until the current expiry, then cut the connection or sleep again if
// re-armed.
#include "edge/connection_deadline.h"

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/use_awaitable.hpp"

namespace tollgate::gateway {
namespace asio = boost::asio;

namespace {

template <typename State>
asio::awaitable<void> Watch(std::shared_ptr<State> state) {
  while (state->socket != nullptr) {
    if (std::chrono::steady_clock::now() >= state->expiry) {
      // Shut down and cancel, never close: the descriptor must stay this connection's until
      // its owner closes it, or a TLS session still holding its number (SSL_set_fd) could
      // write into whichever connection the kernel hands that number to next.
      boost::system::error_code ignored;  // the peer may have closed it already
      state->socket->shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
      state->socket->cancel(ignored);
      co_return;
    }
    state->timer.expires_at(state->expiry);
    co_await state->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace

ConnectionDeadline::ConnectionDeadline(asio::ip::tcp::socket& socket)
    : state_(std::make_shared<State>(socket)) {
  asio::co_spawn(socket.get_executor(), Watch(state_), asio::detached);
}

ConnectionDeadline::~ConnectionDeadline() {
  state_->socket = nullptr;
  state_->timer.cancel();
}

}  // namespace tollgate::gateway
