// One admin-listener connection: keep-alive loop, JSON bodies up to 1 MiB, streamed
// package uploads, and an access log line per request.
#pragma once

#include "admin/admin_api.h"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "edge/worker.h"

namespace tollgate::gateway {

// Serves admin requests on `socket` until the peer leaves, an error or deadline ends the
// connection, or the server stops. Never throws; runs on `worker`'s thread.
boost::asio::awaitable<void> ServeAdminConnection(boost::asio::ip::tcp::socket socket,
                                                  Worker& worker, const admin::AdminApi& api);

}  // namespace tollgate::gateway
