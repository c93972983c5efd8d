// Choosing and opening the stores.
#include "app/store_setup.h"

#include "observe/failure_log.h"
#include "observe/log.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/embedded/embedded_stores.h"
#include "tollgate/storage/index/memory_auth_failures.h"
#include "tollgate/storage/redis/redis_auth_failures.h"
#include "tollgate/storage/redis/redis_stores.h"

namespace tollgate::gateway {
namespace {

// One line when the usage batch starts dropping and one when it is written whole again,
// never one per dropped record: an outage under load would otherwise flood the log.
void LogUsageOverflow(bool overflowing, const storage::UsageDrops& dropped) {
  LogEvent(overflowing ? "warning" : "info", "usage_queue_overflow",
           {{"state", overflowing ? "dropping" : "recovered"},
            {"dropped_usage_records", Concat(dropped.usage_records)},
            {"dropped_events", Concat(dropped.events)}});
}

// The change log's events: each full load with its reason (rare, and worth knowing: it reads
// everything), and trouble following it once per episode, with a `recovered` line at its end.
storage::RedisReplicaEvents ReplicaEvents() {
  static constexpr std::string_view kSubject = "redis change log";
  storage::RedisReplicaEvents events;
  events.reloading = [](std::string_view reason) {
    LogEvent("warning", "store_reload", {{"reason", std::string(reason)}});
  };
  events.trouble = [](std::string_view trouble) {
    Failures().Failed(kSubject, "change_log_trouble", {{"error", std::string(trouble)}});
  };
  events.current = [] { Failures().Succeeded(kSubject); };
  return events;
}

}  // namespace

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
    absl::StatusOr<storage::Stores> stores = storage::OpenRedisStores(*redis, ReplicaEvents());
    if (!stores.ok()) {
      return absl::Status(stores.status().code(),
                          Concat("--redis ", redis->Describe(), ": ", stores.status().message()));
    }
    opened.stores = *std::move(stores);
    opened.redis_usage = std::make_shared<storage::RedisUsageLedger>(
        *redis, storage::RedisClientOptions{}, storage::RedisUsageLedger::kDefaultFlushInterval,
        storage::UsageBacklog{.on_overflow = LogUsageOverflow});
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
