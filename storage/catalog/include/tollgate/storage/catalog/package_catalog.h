// The package files of the repositories the views are asked about, in memory: one immutable
// snapshot per repository, rebuilt when the store's generation of its records moves (so an
// upload through any instance shows), and for repositories in the artifacts folder a rescan
// that records files placed there by hand (so they show within one rescan interval).
//
// Everything that touches the store or the disk runs on the catalog's own thread, never on a
// download loop: a download coroutine awaits Snapshot, which answers from memory when it can.
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/steady_timer.hpp"
#include "tollgate/formats/package_file.h"
#include "tollgate/storage/artifact_source.h"
#include "tollgate/storage/repository_store.h"
#include "tollgate/storage/stores.h"

namespace tollgate::storage {

// Every recorded file of one repository, ordered by path. Index files (no identity of their
// own) are listed as `raw` with an empty name, so no view lists them.
struct CatalogSnapshot {
  uint64_t generation = 0;
  absl::Time repository_created_at;  // a repository created again is another repository
  // When this catalog built the snapshot: the first time it saw the files as they are. Moves
  // forward with every change (also a removal), never back; apt's Release carries it as its
  // Date, since apt ignores a Release older than the one it has.
  absl::Time built_at;
  std::vector<formats::PackageFile> files;
};
using CatalogSnapshotPtr = std::shared_ptr<const CatalogSnapshot>;

struct CatalogOptions {
  // How often the generation of each repository in use is compared with the store's.
  absl::Duration refresh_interval = absl::Seconds(1);
  // How often the folders of the repositories in use are rescanned for hand-placed files.
  absl::Duration rescan_interval = absl::Seconds(3);
  // A repository no view asked about for this long is dropped from memory.
  absl::Duration idle_after = absl::Minutes(10);
};

class PackageCatalog {
 public:
  PackageCatalog(Stores stores, std::shared_ptr<const ArtifactSource> files,
                 CatalogOptions options = {});
  PackageCatalog(const PackageCatalog&) = delete;
  PackageCatalog& operator=(const PackageCatalog&) = delete;
  ~PackageCatalog();  // stops the catalog's thread

  // The snapshot of `repository`: from memory when the catalog holds one, else loaded on the
  // catalog's thread (a repository in the artifacts folder is indexed first, so a view's first
  // answer already lists hand-placed files). Completes on the caller's executor. Never fails:
  // a store error gives the last snapshot, or an empty one.
  boost::asio::awaitable<CatalogSnapshotPtr> Snapshot(RepositoryPtr repository);

  // The snapshot in memory, or nullptr; never waits. Marks the repository as in use.
  CatalogSnapshotPtr Cached(const Repository& repository);

  // Loads, indexes and refreshes now, on the calling thread (tests and benchmarks).
  CatalogSnapshotPtr LoadNow(const RepositoryPtr& repository);

 private:
  struct Entry {
    RepositoryPtr repository;
    CatalogSnapshotPtr snapshot;
    absl::Time last_wanted;
    absl::Time last_indexed;
  };

  void ScheduleTick();
  void Tick();
  // On the catalog's thread: indexes the folder when due, then rebuilds the snapshot when the
  // store's generation moved. Returns the snapshot now in memory.
  CatalogSnapshotPtr Refresh(const RepositoryPtr& repository, bool index_folder);

  const Stores stores_;
  const std::shared_ptr<const ArtifactSource> files_;
  const CatalogOptions options_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);  // "org/repo"

  boost::asio::io_context io_;
  boost::asio::steady_timer timer_{io_};
  std::thread thread_;
};

}  // namespace tollgate::storage
