// One download-listener connection: the keep-alive loop that reads each request's header
// (the pipeline's read phase) and hands it to the download pipeline.
#pragma once

#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "download/download_pipeline.h"
#include "edge/worker.h"

namespace tollgate::gateway {

// Serves requests on `socket` until the peer leaves, an error or deadline ends the
// connection, or the server stops. Never throws; runs on `worker`'s thread.
boost::asio::awaitable<void> ServeDownloadConnection(boost::asio::ip::tcp::socket socket,
                                                     Worker& worker,
                                                     const DownloadPipeline& pipeline);

}  // namespace tollgate::gateway
