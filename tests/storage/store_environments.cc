#include "store_environments.h"

#include <atomic>
#include <stdexcept>

#include "redis_server.h"
#include "temp_dir.h"
#include "tollgate/storage/embedded/embedded_stores.h"
#include "tollgate/storage/redis/redis_stores.h"
#include "tollgate/storage/redis/redis_sync_client.h"

namespace tollgate::storage::testing {
namespace {

class EmbeddedEnvironment final : public StoreEnvironment {
 public:
  absl::StatusOr<Stores> Open() override { return OpenEmbeddedStores(dir_.path() / "data"); }
  bool shared_between_instances() const override { return false; }

 private:
  TempDir dir_;
};

// One redis-server serves the whole test process; each environment gets one of its 16
// databases, emptied first, which is much faster than a server per test.
class RedisEnvironment final : public StoreEnvironment {
 public:
  RedisEnvironment() {
    static ::tollgate::testing::RedisServer server;
    static std::atomic<int> next_db = 0;
    endpoint_.port = server.port();
    endpoint_.db = next_db++ % 16;
    absl::StatusOr<RedisReply> flushed = RedisSyncClient(endpoint_).Command({"FLUSHDB"});
    if (!flushed.ok() || flushed->is_error()) throw std::runtime_error("FLUSHDB failed");
  }
  absl::StatusOr<Stores> Open() override { return OpenRedisStores(endpoint_); }
  bool shared_between_instances() const override { return true; }

 private:
  RedisEndpoint endpoint_;
};

}  // namespace

::testing::internal::ValueArray<StoreFactory, StoreFactory> AllStoreFactories() {
  return ::testing::Values(
      StoreFactory{"Embedded", [] { return std::make_unique<EmbeddedEnvironment>(); }},
      StoreFactory{"Redis", [] { return std::make_unique<RedisEnvironment>(); }});
}

std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

}  // namespace tollgate::storage::testing
