// One download-listener connection: keep-alive request loop, header + sendfile responses,
// and the access log line that is written for every request, denial or success.
#pragma once

#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "download_handler.h"
#include "worker.h"

namespace tollgate::gateway {

// Serves requests on `socket` until the peer leaves, an error or deadline ends the
// connection, or the server stops. Never throws; runs on `worker`'s thread.
boost::asio::awaitable<void> ServeDownloadConnection(boost::asio::ip::tcp::socket socket,
                                                     Worker& worker,
                                                     const DownloadHandler& handler);

}  // namespace tollgate::gateway
