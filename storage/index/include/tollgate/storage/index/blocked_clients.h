// This instance's list of blocked clients and when each block ends: what AuthFailures answers
// BlockedUntil from, on every store.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"

namespace tollgate::storage {

// Safe from any thread. Ended blocks are dropped when the list is next written.
class BlockedClients {
 public:
  std::optional<absl::Time> Until(std::string_view client, absl::Time now) const;
  // How many clients are blocked at `now` (for metrics: walks the list under its lock).
  size_t Count(absl::Time now) const;
  // Blocks `client` until `until` (a later end of an existing block wins).
  void Block(std::string_view client, absl::Time until, absl::Time now);

 private:
  void DropEnded(absl::Time now);  // needs mutex_

  // The latest end of any block (Unix nanoseconds): once it is past, which is the common case
  // — nobody blocked — Until takes no lock.
  std::atomic<int64_t> latest_end_{0};
  mutable std::mutex mutex_;
  absl::flat_hash_map<std::string, absl::Time> until_;  // guarded by mutex_
  size_t next_sweep_ = 64;                              // guarded by mutex_
};

}  // namespace tollgate::storage
