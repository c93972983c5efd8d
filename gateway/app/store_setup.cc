// Choosing and opening the stores.
#include "app/store_setup.h"

#include "tollgate/base/concat.h"
#include "tollgate/storage/embedded/embedded_stores.h"
#include "tollgate/storage/index/memory_auth_failures.h"
#include "tollgate/storage/redis/redis_auth_failures.h"
#include "tollgate/storage/redis/redis_stores.h"

namespace tollgate::gateway {

absl::StatusOr<OpenedStores> OpenConfiguredStores(
    const std::optional<storage::RedisEndpoint>& redis, const std::filesystem::path& data_dir,
    const storage::AuthFailureLimits& auth_limits) {
  OpenedStores opened;
  if (redis) {
    // The data folder still holds the bootstrap key file.
    std::error_code error;
    std::filesystem::create_directories(data_dir, error);
    if (error) {
      return absl::UnavailableError(
          Concat("--data-dir: cannot create ", data_dir.string(), ": ", error.message()));
    }
    absl::StatusOr<storage::Stores> stores = storage::OpenRedisStores(*redis);
    if (!stores.ok()) {
      return absl::Status(stores.status().code(),
                          Concat("--redis ", redis->Describe(), ": ", stores.status().message()));
    }
    opened.stores = *std::move(stores);
    opened.redis_usage = std::make_shared<storage::RedisUsageLedger>(*redis);
    opened.stores.usage = opened.redis_usage;
    opened.auth_failures = std::make_shared<storage::RedisAuthFailures>(*redis, auth_limits);
    return opened;
  }
  absl::StatusOr<DataDirLock> lock = DataDirLock::Acquire(data_dir);
  if (!lock.ok()) {
    return absl::Status(lock.status().code(), Concat("--data-dir: ", lock.status().message()));
  }
  opened.lock.emplace(*std::move(lock));
  absl::StatusOr<storage::Stores> stores = storage::OpenEmbeddedStores(data_dir);
  if (!stores.ok()) {
    return absl::Status(stores.status().code(), Concat("--data-dir: ", stores.status().message()));
  }
  opened.stores = *std::move(stores);
  opened.auth_failures = std::make_shared<storage::MemoryAuthFailures>(auth_limits);
  return opened;
}

}  // namespace tollgate::gateway
