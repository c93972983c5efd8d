#include "tollgate/storage/catalog/package_catalog.h"

#include <algorithm>
#include <chrono>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "folder_indexer.h"
#include "tollgate/base/concat.h"
#include "tollgate/formats/registry.h"

namespace tollgate::storage {
namespace {

std::string KeyOf(const Repository& repository) {
  return Concat(repository.org, "/", repository.slug);
}

formats::PackageFile ToPackageFile(ArtifactRecord&& record) {
  formats::PackageFile file;
  if (std::optional<formats::PackageIdentity> identity = formats::IdentifyPackage(record.path)) {
    file.identity = *std::move(identity);
  }
  file.path = std::move(record.path);
  file.size = record.size;
  file.sha1 = std::move(record.sha1);
  file.sha256 = std::move(record.sha256);
  file.sha512 = std::move(record.sha512);
  file.metadata = std::move(record.metadata);
  file.recorded_unix_micros = absl::ToUnixMicros(record.uploaded_at);
  return file;
}

CatalogSnapshotPtr BuildSnapshot(const Repository& repository, uint64_t generation,
                                 std::vector<ArtifactRecord> records) {
  auto snapshot = std::make_shared<CatalogSnapshot>();
  snapshot->generation = generation;
  snapshot->repository_created_at = repository.created_at;
  snapshot->built_at = absl::Now();
  snapshot->files.reserve(records.size());
  for (ArtifactRecord& record : records)
    snapshot->files.push_back(ToPackageFile(std::move(record)));
  std::sort(
      snapshot->files.begin(), snapshot->files.end(),
      [](const formats::PackageFile& a, const formats::PackageFile& b) { return a.path < b.path; });
  return snapshot;
}

}  // namespace

PackageCatalog::PackageCatalog(Stores stores, std::shared_ptr<const ArtifactSource> files,
                               CatalogOptions options)
    : stores_(std::move(stores)), files_(std::move(files)), options_(options) {
  ScheduleTick();
  thread_ = std::thread([this] { io_.run(); });
}

PackageCatalog::~PackageCatalog() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

CatalogSnapshotPtr PackageCatalog::Cached(const Repository& repository) {
  absl::MutexLock lock(&mu_);
  const auto it = entries_.find(KeyOf(repository));
  if (it == entries_.end() || it->second.snapshot == nullptr ||
      it->second.snapshot->repository_created_at != repository.created_at) {
    return nullptr;
  }
  it->second.last_wanted = absl::Now();
  return it->second.snapshot;
}

boost::asio::awaitable<CatalogSnapshotPtr> PackageCatalog::Snapshot(RepositoryPtr repository) {
  if (CatalogSnapshotPtr cached = Cached(*repository)) co_return cached;
  // Named, not a temporary of the co_await expression: GCC 12 destroys such a temporary twice,
  // and with it the repository's reference count.
  auto load = [this, repository]() -> boost::asio::awaitable<CatalogSnapshotPtr> {
    // First views that arrive together queue here; the first one's load serves the others.
    if (CatalogSnapshotPtr loaded = Cached(*repository)) co_return loaded;
    co_return LoadNow(repository);
  };
  co_return co_await boost::asio::co_spawn(io_, std::move(load), boost::asio::use_awaitable);
}

CatalogSnapshotPtr PackageCatalog::LoadNow(const RepositoryPtr& repository) {
  {
    absl::MutexLock lock(&mu_);
    Entry& entry = entries_[KeyOf(*repository)];
    if (entry.repository == nullptr || entry.repository->created_at != repository->created_at) {
      entry = Entry{repository, nullptr, absl::Now(), absl::InfinitePast()};
    }
    entry.repository = repository;  // its storage may have changed since
    entry.last_wanted = absl::Now();
  }
  return Refresh(repository, true);
}

CatalogSnapshotPtr PackageCatalog::Refresh(const RepositoryPtr& repository, bool index_folder) {
  const std::string key = KeyOf(*repository);
  CatalogSnapshotPtr current;
  {
    absl::MutexLock lock(&mu_);
    const auto it = entries_.find(key);
    if (it != entries_.end()) current = it->second.snapshot;
  }
  if (index_folder && !StoredAtOrigin(*repository)) {
    // A failure leaves the records as they were; the next rescan tries again.
    IndexFolder(*repository, *files_, *stores_.artifacts, current.get()).IgnoreError();
    absl::MutexLock lock(&mu_);
    if (const auto it = entries_.find(key); it != entries_.end()) {
      it->second.last_indexed = absl::Now();
    }
  }
  absl::StatusOr<uint64_t> generation =
      stores_.artifacts->Generation(repository->org, repository->slug);
  if (current != nullptr && (!generation.ok() || *generation == current->generation)) {
    return current;
  }
  // Read the generation before the records: a change in between makes the next refresh
  // read them again rather than be missed.
  CatalogSnapshotPtr rebuilt =
      BuildSnapshot(*repository, generation.value_or(0),
                    stores_.artifacts->List(repository->org, repository->slug));
  absl::MutexLock lock(&mu_);
  const auto it = entries_.find(key);
  if (it != entries_.end()) it->second.snapshot = rebuilt;
  return rebuilt;
}

void PackageCatalog::ScheduleTick() {
  timer_.expires_after(absl::ToChronoNanoseconds(options_.refresh_interval));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    Tick();
    ScheduleTick();
  });
}

void PackageCatalog::Tick() {
  const absl::Time now = absl::Now();
  std::vector<std::pair<RepositoryPtr, bool>> due;  // repository, whether to rescan its folder
  {
    absl::MutexLock lock(&mu_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      Entry& entry = it->second;
      // The repository as the store has it now: deleted, created again or given another
      // storage since the entry was made.
      RepositoryPtr repository =
          stores_.repositories->Get(entry.repository->org, entry.repository->slug);
      if (now - entry.last_wanted > options_.idle_after || repository == nullptr ||
          repository->created_at != entry.repository->created_at) {
        entries_.erase(it++);
        continue;
      }
      entry.repository = repository;
      due.emplace_back(std::move(repository), now - entry.last_indexed >= options_.rescan_interval);
      ++it;
    }
  }
  for (const auto& [repository, rescan] : due) Refresh(repository, rescan);
}

}  // namespace tollgate::storage
