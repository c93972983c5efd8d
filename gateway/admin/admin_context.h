// What every admin endpoint works with: the stores, the artifact files, the origin client and
// the clock.
#pragma once

#include <functional>
#include <memory>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tollgate/storage/artifact_source.h"
#include "tollgate/storage/http_origin.h"
#include "tollgate/storage/stores.h"

namespace tollgate::gateway::admin {

struct AdminContext {
  storage::Stores stores;
  std::shared_ptr<storage::ArtifactSource> files;
  std::shared_ptr<storage::HttpOriginClient> origins;  // for repositories at an S3 origin
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

}  // namespace tollgate::gateway::admin
