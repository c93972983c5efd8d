// What one listener allows each of its connections (SPEC §2.2): how many may be open at once,
// in total and per client, how long a response may stall, and whether it speaks TLS.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "edge/tls_context.h"
#include "http/client_address.h"
#include "observe/metrics.h"

namespace tollgate::gateway {

struct ListenerOptions {
  // Beyond it a new connection is answered 503 server_busy and closed.
  int max_connections = 10000;
  // Beyond it a client's new connection is answered 429 too_many_connections and closed.
  int max_connections_per_client = 256;
  // A response that makes no progress for this long is cut (nginx's send_timeout).
  std::chrono::steady_clock::duration send_timeout = std::chrono::seconds(60);
  // Peers not counted per client: one proxy carries the connections of many clients, whose
  // addresses are only known from each request's header.
  std::vector<Cidr> trusted_proxies;
  // Set: the listener speaks TLS only; each connection's handshake must finish within the
  // header read deadline, and a refused connection is closed without an answer (no HTTP can
  // be sent before a handshake).
  std::shared_ptr<TlsContext> tls;
  // Which listener this is, in the metrics.
  metrics::Listener listener = metrics::Listener::kDownload;
};

}  // namespace tollgate::gateway
