// Where to connect for an endpoint now: its own host and port, or the master its Redis
// Sentinels name. For Sentinel endpoints a watcher thread per (sentinels, master name) asks
// the Sentinels every 250 ms, so a client that lost its connection to a failed master finds the
// promoted one without waiting on the Sentinels itself (which an event loop must not do).
#pragma once

#include "absl/status/statusor.h"
#include "tollgate/storage/redis/redis_endpoint.h"

namespace tollgate::storage {

// The address to connect to for `endpoint`. For a Sentinel endpoint the first call waits for
// the Sentinels' first answer (at most about a second); Unavailable when none has answered.
absl::StatusOr<RedisHostPort> CurrentMasterAddress(const RedisEndpoint& endpoint);

// Whether a Redis error reply means the connection reaches a replica, not the master
// ("READONLY You can't write against a read only replica."): the connection must then be
// dropped so that the next one goes to the master the Sentinels name.
bool IsReadOnlyReplicaError(std::string_view error);

}  // namespace tollgate::storage
