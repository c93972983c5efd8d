// What the download phases may touch besides their request's context: the stores, the
// artifact files, the origin client and the listener's options. Shared by every connection,
// read-only after start-up.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "download/view_renderer.h"
#include "http/client_address.h"
#include "http/live_settings.h"
#include "tollgate/formats/package_view.h"
#include "tollgate/storage/artifact_source.h"
#include "tollgate/storage/auth_failures.h"
#include "tollgate/storage/catalog/package_catalog.h"
#include "tollgate/storage/http_origin.h"
#include "tollgate/storage/openpgp/repository_signers.h"
#include "tollgate/storage/stores.h"

namespace tollgate::gateway {

struct DownloadOptions {
  bool contextual_realm = false;  // realm="{org}/{repo}" instead of "tollgate"
  // What SIGHUP may change: the dedupe window, the stale grace (how long tokens without
  // counted limits keep working while the store is unreachable) and the trusted proxies.
  std::shared_ptr<const LiveSettings> settings = std::make_shared<LiveSettings>();
  // The forwarding header that names the client behind a trusted proxy.
  ClientHeader client_header = ClientHeader::kXForwardedFor;
  // --public-url without a trailing '/', or "" to build view URLs from the request's Host.
  std::string public_url;
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

struct DownloadServices {
  storage::Stores stores;
  std::shared_ptr<const storage::ArtifactSource> files;
  std::shared_ptr<storage::HttpOriginClient> origins;
  std::shared_ptr<storage::AuthFailures> auth_failures;  // brute-force counts and blocks
  std::shared_ptr<storage::PackageCatalog> catalog;      // what the views list
  std::shared_ptr<ViewRenderer> views;                   // renders and caches views' answers
  // The repositories' signers (their OpenPGP keys) for views that sign; nullptr where nothing
  // signs (the views that need it then answer 503).
  std::shared_ptr<storage::RepositorySigners> signers;
  DownloadOptions options;
};

}  // namespace tollgate::gateway
