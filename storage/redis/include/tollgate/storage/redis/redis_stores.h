// Opening the Redis store set: Redis holds the truth, shared by every instance; each
// instance answers reads from a full in-memory replica that follows Redis's change channel.
#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tollgate/storage/redis/redis_endpoint.h"
#include "tollgate/storage/stores.h"

namespace tollgate::storage {

// Connects to `endpoint`, adopts (or creates, when it is the first) the shared token-hash
// key, converts the users an earlier version stored into their orgs' directories, loads the
// replica and starts following changes on a thread of its own: another
// instance's writes show here well within a second, and the replica is reloaded in full
// after every reconnect and every `reload_interval` in case a message was lost.
//
// In the result, `is_reachable` says whether Redis answered the latest command or heartbeat
// (heartbeats run every second), and `staleness` is zero while the replica follows Redis and
// otherwise how long since it last did (SPEC §4.5 `--stale-grace`); both are cheap reads of
// flags, never a network call. `usage` is left empty: the Redis usage ledger runs on the
// gateway's event loops (see RedisUsageLedger). Dropping every handle stops the thread.
//
// Unavailable/DeadlineExceeded when Redis cannot be reached, PermissionDenied when it
// refuses AUTH/SELECT, DataLoss when it holds a value this version does not know.
absl::StatusOr<Stores> OpenRedisStores(const RedisEndpoint& endpoint,
                                       absl::Duration reload_interval = absl::Seconds(30));

}  // namespace tollgate::storage
