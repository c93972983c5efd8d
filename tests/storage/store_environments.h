// The store implementations the conformance suites run against: the embedded store in a temp
// folder, and Redis on a real redis-server started for the test process. To cover a new
// implementation, add an environment here and a factory to AllStoreFactories.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "tollgate/storage/stores.h"

namespace tollgate::storage::testing {

// Where one test's data lives. Open may be called again after the previous Stores were
// dropped, and must then see the same data.
class StoreEnvironment {
 public:
  virtual ~StoreEnvironment() = default;
  virtual absl::StatusOr<Stores> Open() = 0;
  // Whether a second Open while the first Stores are alive is another instance on the same
  // state (Redis), rather than something the store refuses (the embedded store's one process).
  virtual bool shared_between_instances() const = 0;
};

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<StoreEnvironment>()> make;
};

// Names the implementation in failure messages.
inline void PrintTo(const StoreFactory& factory, std::ostream* out) { *out << factory.name; }

// The embedded store and Redis, for INSTANTIATE_TEST_SUITE_P.
::testing::internal::ValueArray<StoreFactory, StoreFactory> AllStoreFactories();

// The test name suffix of a factory.
std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info);

}  // namespace tollgate::storage::testing
