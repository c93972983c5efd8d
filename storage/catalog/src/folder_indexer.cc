#include "folder_indexer.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "tollgate/storage/artifact_source.h"
#include "tollgate/storage/package_description.h"

namespace tollgate::storage {
namespace {

// Records written per store write while indexing.
constexpr size_t kBatch = 500;

// What the indexer compares a listed file with.
struct Known {
  uint64_t size = 0;
  int64_t recorded_unix_micros = 0;
  bool complete = false;  // has the checksums and metadata of this version
};

absl::flat_hash_map<std::string, Known> KnownFiles(const Repository& repository,
                                                   const ArtifactCatalog& catalog,
                                                   const CatalogSnapshot* snapshot) {
  absl::flat_hash_map<std::string, Known> known;
  if (snapshot != nullptr) {
    for (const formats::PackageFile& file : snapshot->files) {
      known[file.path] = Known{file.size, file.recorded_unix_micros, !file.sha512.empty()};
    }
    return known;
  }
  for (const ArtifactRecord& record : catalog.List(repository.org, repository.slug)) {
    known[record.path] =
        Known{record.size, absl::ToUnixMicros(record.uploaded_at), !record.sha512.empty()};
  }
  return known;
}

// Whether the listed file is what its record says. Uploads are recorded after the file is
// committed and hand-placed files at their mtime, so a file changed since has a later mtime;
// the stores keep whole microseconds, hence the truncation.
bool IsCurrent(const Known& known, const ArtifactListing& file) {
  return known.complete && known.size == file.size &&
         known.recorded_unix_micros >= absl::ToUnixMicros(file.modified);
}

}  // namespace

absl::StatusOr<size_t> IndexFolder(const Repository& repository, const ArtifactSource& files,
                                   ArtifactCatalog& catalog, const CatalogSnapshot* snapshot) {
  const std::string& org = repository.org;
  const std::string& repo = repository.slug;
  absl::StatusOr<std::vector<ArtifactListing>> listing = files.List(org, repo);
  if (!listing.ok()) return listing.status();
  absl::flat_hash_map<std::string, Known> known = KnownFiles(repository, catalog, snapshot);
  size_t changed = 0;
  std::vector<ArtifactRecord> described;
  for (const ArtifactListing& file : *listing) {
    if (IsReservedForViews(file.path)) continue;
    const auto it = known.find(file.path);
    const bool recorded = it != known.end();
    if (recorded) {
      const bool current = IsCurrent(it->second, file);
      known.erase(it);
      if (current) continue;
    }
    // The snapshot may predate an upload committed since: the store's record decides.
    std::optional<ArtifactRecord> previous = catalog.Get(org, repo, file.path);
    if (previous && IsCurrent(Known{previous->size, absl::ToUnixMicros(previous->uploaded_at),
                                    !previous->sha512.empty()},
                              file)) {
      continue;
    }
    absl::StatusOr<ArtifactFile> opened = files.Open(org, repo, file.path);
    if (!opened.ok()) continue;  // removed since it was listed
    ArtifactRecord record;
    record.org = org;
    record.repo = repo;
    record.path = file.path;
    record.uploaded_at = absl::FromUnixMicros(absl::ToUnixMicros(opened->modified()));
    if (!DescribePackageFile(opened->fd(), record).ok()) continue;
    // The uploader stays only while the content is still what was uploaded.
    if (previous && previous->sha256 == record.sha256) {
      record.uploader = previous->uploader;
      record.uploaded_at = std::max(previous->uploaded_at, record.uploaded_at);
    }
    described.push_back(std::move(record));
    // In batches, so a large folder's progress is kept even if a later write fails.
    if (described.size() == kBatch) {
      if (absl::Status put = catalog.PutAll(described); !put.ok()) return put;
      changed += described.size();
      described.clear();
    }
  }
  if (absl::Status put = catalog.PutAll(described); !put.ok()) return put;
  changed += described.size();
  // What is left was recorded but is no longer in the folder.
  for (const auto& [path, unused] : known) {
    absl::Status removed = catalog.Remove(org, repo, path);
    if (!removed.ok() && !absl::IsNotFound(removed)) return removed;
    ++changed;
  }
  return changed;
}

}  // namespace tollgate::storage
