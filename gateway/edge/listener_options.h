// What one listener allows each of its connections (SPEC §2.2): how many may be open at once,
// in total and per client, and how long a response may stall.
#pragma once

#include <chrono>
#include <vector>

#include "http/client_address.h"

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
};

}  // namespace tollgate::gateway
