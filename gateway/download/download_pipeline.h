// One download request as a pipeline of named phases over its DownloadContext (phases.h):
// route → authenticate → locate → decide → reserve → fetch → respond → log → record.
// The first phase that refuses ends the decision; Finish turns its reason into the response;
// respond, log and record run for every request.
#pragma once

#include "boost/asio/awaitable.hpp"
#include "download/download_context.h"
#include "download/download_services.h"
#include "edge/connection.h"

namespace tollgate::gateway {

class DownloadPipeline {
 public:
  explicit DownloadPipeline(DownloadServices services);

  // The synchronous phases, route → authenticate → locate → decide, then Finish when one
  // refused; for a view request only route and authenticate (the view comes in Serve). Socket-free
  // and run inline on the connection's thread: store reads come from memory, but a file is opened
  // (openat2 and fstat) here. Never fails.
  void Prepare(DownloadContext& context) const;

  // The whole request after its header was read into the context: Prepare, then reserve,
  // fetch, respond, log and record. `keep_alive` is whether the connection may stay open as
  // far as the request goes; context.keep_alive says whether it does. Never throws.
  boost::asio::awaitable<void> Serve(DownloadContext& context, Connection& connection,
                                     bool keep_alive) const;

  // A request whose header could not be parsed: 400, logged like any other, and the
  // connection is to be closed.
  boost::asio::awaitable<void> RefuseMalformed(DownloadContext& context,
                                               Connection& connection) const;

  const DownloadServices& services() const { return services_; }

 private:
  DownloadServices services_;
};

}  // namespace tollgate::gateway
