// Setting up the download test world through the store interfaces, as the admin API does.
#include "download_world.h"

#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <system_error>

#include "absl/time/clock.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/embedded/embedded_stores.h"
#include "tollgate/storage/files/filesystem_artifact_source.h"
#include "tollgate/storage/index/memory_auth_failures.h"
#include "tollgate/storage/origin/pooled_http_origin_client.h"

namespace tollgate::testing {

namespace {

void Check(const absl::Status& status, std::string_view step) {
  if (!status.ok()) {
    throw std::runtime_error(Concat(step, ": ", ToStd(status.message())));
  }
}

}  // namespace

DownloadWorld::DownloadWorld() {
  char folder[] = "/tmp/tollgate-download-world-XXXXXX";
  if (::mkdtemp(folder) == nullptr) throw std::runtime_error("mkdtemp failed");
  root_ = folder;
  std::filesystem::create_directories(root_ / "artifacts");
  absl::StatusOr<storage::Stores> stores = storage::OpenEmbeddedStores(root_ / "data");
  Check(stores.status(), "open the embedded stores");
  stores_ = *std::move(stores);
  Check(stores_.accounts->CreateOrg("acme", absl::Now()), "create org acme");
  AddRepository("agents", storage::RepositoryType::kPrivate);
}

DownloadWorld::~DownloadWorld() {
  stores_ = storage::Stores{};  // closes the database before its folder goes
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

void DownloadWorld::AddRepository(const std::string& slug, storage::RepositoryType type,
                                  const std::string& storage_json) {
  storage::Repository repository;
  repository.org = "acme";
  repository.slug = repository.name = slug;
  repository.type = type;
  repository.storage_json = storage_json;
  repository.created_at = absl::Now();
  Check(stores_.repositories->Create(repository), Concat("create repository ", slug));
}

void DownloadWorld::AddFile(std::string_view repo, std::string_view path, size_t size) {
  const std::filesystem::path file = root_ / "artifacts" / "acme" / repo / path;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << std::string(size, 'x');
}

void DownloadWorld::AddToken(const std::string& repo, const std::string& token,
                             const std::function<void(policy::Entitlement&)>& configure) {
  policy::Entitlement entitlement;
  entitlement.identifier = Concat(token, "-id");
  entitlement.org = "acme";
  entitlement.repo = repo;
  entitlement.name = token;
  entitlement.token = token;
  entitlement.created_at = entitlement.updated_at = absl::Now();
  if (configure) configure(entitlement);
  Check(stores_.entitlements->Create(entitlement), Concat("create token ", token));
}

gateway::DownloadServices DownloadWorld::Services(gateway::DownloadOptions options) const {
  absl::StatusOr<std::unique_ptr<storage::FilesystemArtifactSource>> files =
      storage::FilesystemArtifactSource::Create(root_ / "artifacts");
  Check(files.status(), "open the artifacts folder");
  const std::shared_ptr<const storage::ArtifactSource> source(*std::move(files));
  return gateway::DownloadServices{
      .stores = stores_,
      .files = source,
      .origins = std::make_shared<storage::PooledHttpOriginClient>(storage::OriginAddressRule()),
      .auth_failures = std::make_shared<storage::MemoryAuthFailures>(storage::AuthFailureLimits{}),
      .catalog = std::make_shared<storage::PackageCatalog>(stores_, source),
      .views = std::make_shared<gateway::ViewRenderer>(
          gateway::ViewRendererOptions{.cache_bytes = 1 << 20}),
      .signers = {},
      .options = std::move(options)};
}

}  // namespace tollgate::testing
