// One download-listener connection: the keep-alive loop that reads each request's header
// (the pipeline's read phase) and hands it to the download pipeline.
#pragma once

#include "boost/asio/awaitable.hpp"
#include "download/download_pipeline.h"
#include "edge/connection.h"

namespace tollgate::gateway {

// Serves requests on `connection` until the peer leaves, an error or deadline ends the
// connection, or the server stops. Never throws; runs on the connection's worker thread.
boost::asio::awaitable<void> ServeDownloadConnection(Connection& connection,
                                                     const DownloadPipeline& pipeline);

}  // namespace tollgate::gateway
