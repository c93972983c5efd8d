// What every admin endpoint works with: the stores, the artifact files, the origin client,
// the brute-force counts and the clock.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "http/client_address.h"
#include "http/live_settings.h"
#include "tollgate/storage/artifact_source.h"
#include "tollgate/storage/auth_failures.h"
#include "tollgate/storage/http_origin.h"
#include "tollgate/storage/stores.h"

namespace tollgate::gateway::admin {

struct AdminContext {
  storage::Stores stores;
  std::shared_ptr<storage::ArtifactSource> files;
  std::shared_ptr<storage::HttpOriginClient> origins;  // for repositories at an S3 origin
  // Brute-force counts and blocks, shared with the download listener (SPEC §4.6), and who the
  // client is behind trusted proxies.
  std::shared_ptr<storage::AuthFailures> auth_failures;
  std::shared_ptr<const LiveSettings> settings = std::make_shared<LiveSettings>();
  ClientHeader client_header = ClientHeader::kXForwardedFor;
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

}  // namespace tollgate::gateway::admin
