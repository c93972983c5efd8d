// One admin-listener connection: keep-alive loop, JSON bodies up to 1 MiB, streamed
// package uploads, and an access log line per request.
#pragma once

#include "admin/admin_api.h"
#include "boost/asio/awaitable.hpp"
#include "edge/connection.h"

namespace tollgate::gateway {

// Serves admin requests on `connection` until the peer leaves, an error or deadline ends the
// connection, or the server stops. Never throws; runs on the connection's worker thread.
boost::asio::awaitable<void> ServeAdminConnection(Connection& connection,
                                                  const admin::AdminApi& api);

}  // namespace tollgate::gateway
