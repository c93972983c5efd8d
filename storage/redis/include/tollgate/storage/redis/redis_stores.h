// Opening the Redis store set: Redis holds the truth, shared by every instance; each
// instance answers reads from a full in-memory replica that follows Redis's change log.
#pragma once

#include <functional>
#include <string_view>

#include "absl/status/statusor.h"
#include "tollgate/storage/redis/redis_endpoint.h"
#include "tollgate/storage/stores.h"

namespace tollgate::storage {

// How the replica follows Redis, for the log. Each may be empty; they run on the replica's
// follower thread.
struct RedisReplicaEvents {
  // The replica is loaded in full again, because of `reason` (a word: epoch, log_missing,
  // log_behind, log_trimmed, entry_deleted, log_rewritten, apply_failed).
  std::function<void(std::string_view reason)> reloading;
  // Following is held up although Redis answers; `trouble` says why. Repeats while it lasts.
  std::function<void(std::string_view trouble)> trouble;
  // The replica is current with Redis. Often (every second when idle): keep it cheap.
  std::function<void()> current;
};

// Connects to `endpoint`, adopts (or creates, when it is the first) the shared token-hash
// key, converts the users an earlier version stored into their orgs' directories, loads the
// replica and starts following the change log on a thread of its own: another instance's
// writes show here within milliseconds, in the order Redis took them; after a lost
// connection the replica catches up from the last entry it applied. It is loaded in full
// again only when the log cannot say what it missed (trimmed past its position, or Redis
// lost its data).
//
// In the result, `is_reachable` says whether Redis answered the latest command or
// change-log read (at least one a second), and `staleness` is zero while the replica follows
// Redis and otherwise how long since it last did (`--stale-grace`); both are cheap reads of
// flags, never a network call. `usage` is left empty: the Redis usage ledger runs on the
// gateway's event loops (see RedisUsageLedger). Dropping every handle stops the thread.
//
// Unavailable/DeadlineExceeded when Redis cannot be reached, PermissionDenied when it
// refuses AUTH/SELECT, FailedPrecondition when it is older than 7.0 or its ACL refuses the
// change log's commands, DataLoss when it holds a value this version does not know.
absl::StatusOr<Stores> OpenRedisStores(const RedisEndpoint& endpoint,
                                       RedisReplicaEvents events = {});

}  // namespace tollgate::storage
