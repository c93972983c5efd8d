// The answer to a connection a listener will not serve (SPEC §2.2): the denial at once,
// without reading a request, then a short lingering close.
#pragma once

#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "tollgate/policy/reason.h"

namespace tollgate::gateway {

// Sends `reason`'s denial (503 server_busy, 429 too_many_connections) with `Connection: close`
// and closes. When `linger` is set, first reads and drops what the client already sent for at
// most a second, so its request in flight does not make the kernel reset the connection before
// the answer is read; unset when too many refusals linger already.
boost::asio::awaitable<void> RefuseConnection(boost::asio::ip::tcp::socket socket,
                                              policy::Reason reason, bool linger);

}  // namespace tollgate::gateway
