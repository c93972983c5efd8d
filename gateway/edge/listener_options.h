// What one listener allows each of its connections (SPEC §2.2): how many may be open at once,
// in total and per client, how long a response may stall, and whether it speaks TLS.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "edge/tls_context.h"
#include "http/live_settings.h"
#include "observe/metrics.h"

namespace tollgate::gateway {

struct ListenerOptions {
  // What SIGHUP may change: max_connections (beyond it a new connection is answered 503
  // server_busy and closed), max_connections_per_client (beyond it 429 too_many_connections),
  // and the trusted proxies, which are not counted per client (one proxy carries the
  // connections of many clients, whose addresses are only known from each request's header).
  std::shared_ptr<const LiveSettings> settings = std::make_shared<LiveSettings>();
  // A response that makes no progress for this long is cut (nginx's send_timeout).
  std::chrono::steady_clock::duration send_timeout = std::chrono::seconds(60);
  // Set: the listener speaks TLS only; each connection's handshake must finish within the
  // header read deadline, and a refused connection is closed without an answer (no HTTP can
  // be sent before a handshake).
  std::shared_ptr<TlsContext> tls;
  // Which listener this is, in the metrics.
  metrics::Listener listener = metrics::Listener::kDownload;
};

}  // namespace tollgate::gateway
