// The body of an origin's answer relayed to the client through one bounded buffer: the next
// chunk is read from the origin only once the client has taken the previous one, so a slow
// client slows the origin down (TCP flow control) and memory per download stays fixed.
#pragma once

#include <cstdint>

#include "absl/time/time.h"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "edge/client_stream.h"
#include "edge/connection_deadline.h"
#include "tollgate/storage/http_origin.h"

namespace tollgate::gateway {

// Bytes held per download between origin and client.
inline constexpr size_t kRelayBufferBytes = 256 * 1024;

struct RelayResult {
  boost::system::error_code error;  // set when the body could not be relayed to its end
  uint64_t bytes = 0;               // body bytes the client accepted
};

// Relays `body` to `client` until the origin's body ends, in chunked framing when `chunked`.
// Re-arms `deadline` for each wait: `origin_read_timeout` (plus slack) while the origin is
// read, the client's write budget while the client is. A failure of either side is
// returned as an error (the caller closes the client connection, since the length it
// announced cannot be met); the origin connection is then closed by `body`'s destructor.
boost::asio::awaitable<RelayResult> RelayOriginBody(storage::OriginResponse& body,
                                                    ClientStream& client,
                                                    ConnectionDeadline& deadline,
                                                    absl::Duration origin_read_timeout,
                                                    bool chunked);

}  // namespace tollgate::gateway
