// Opening the store set the configuration asks for: Redis (shared by every instance) when
// --redis is given, else the embedded store in --data-dir (one process at a time).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "app/data_dir_lock.h"
#include "tollgate/storage/auth_failures.h"
#include "tollgate/storage/redis/redis_endpoint.h"
#include "tollgate/storage/redis/redis_usage_ledger.h"
#include "tollgate/storage/stores.h"

namespace tollgate::gateway {

struct OpenedStores {
  storage::Stores stores;
  std::optional<DataDirLock> lock;  // embedded only
  // The Redis ledger, whose batch flusher must be started on an event loop; null otherwise.
  std::shared_ptr<storage::RedisUsageLedger> redis_usage;
  // Brute-force counts: shared through Redis with --redis, this instance's own otherwise.
  std::shared_ptr<storage::AuthFailures> auth_failures;
};

// Fails with the store's error, prefixed by the option to blame (--redis or --data-dir).
absl::StatusOr<OpenedStores> OpenConfiguredStores(
    const std::optional<storage::RedisEndpoint>& redis, const std::filesystem::path& data_dir,
    const storage::AuthFailureLimits& auth_limits = {});

}  // namespace tollgate::gateway
