// An ArtifactSource that keeps recently served files open, as nginx's open_file_cache does: a
// hot file costs a download one fstat instead of two opens, a stat and two closes. Every other
// operation passes through.
//
// The fstat compares the open file with what it was when opened (size, times, links), so a
// file changed in place, replaced by a rename or removed is opened afresh at once. What that
// cannot see — a folder on the path swapped for another, a link retargeted — is seen within
// `revalidate_after`, when the next download opens the file again anyway. Uploads and
// removals made through this source empty the cache. Entries nobody asked for in
// `close_idle_after` are closed by Sweep.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tollgate/storage/artifact_source.h"

namespace tollgate::storage {

struct OpenFileCacheOptions {
  // Open files kept at most (each holds a descriptor).
  size_t max_files = 1024;
  // How long a cached file is served before the next download opens it again (its path may
  // lead elsewhere by then).
  absl::Duration revalidate_after = absl::Seconds(1);
  // How long an entry nobody downloads stays open.
  absl::Duration close_idle_after = absl::Seconds(10);
  // A monotonic clock by default: a step of the wall clock must not keep entries forever.
  std::function<absl::Time()> clock = [] {
    return absl::UnixEpoch() +
           absl::FromChrono(std::chrono::steady_clock::now().time_since_epoch());
  };
};

class OpenFileCache final : public ArtifactSource {
 public:
  OpenFileCache(std::shared_ptr<ArtifactSource> files, OpenFileCacheOptions options = {});

  // From the cache while the entry is younger than `revalidate_after` and the file unchanged,
  // else from the folder. Failures (NotFound included) are never cached.
  absl::StatusOr<ArtifactFile> Open(std::string_view org, std::string_view repo,
                                    std::string_view path) const override;
  // The upload's commit empties the cache, so the next download sees the new file.
  absl::StatusOr<std::unique_ptr<ArtifactWriter>> BeginWrite(std::string_view org,
                                                             std::string_view repo,
                                                             std::string_view path) override;
  // Empties the cache, so the removed file is neither served nor held open.
  absl::Status Remove(std::string_view org, std::string_view repo, std::string_view path) override;
  absl::StatusOr<std::vector<ArtifactListing>> List(std::string_view org,
                                                    std::string_view repo) const override;

  // Closes the entries idle for `close_idle_after`; the server calls it about once a second.
  void Sweep() const;
  // Closes every entry.
  void Clear() const;
  // Open files held now.
  size_t size() const;

 private:
  // Cache keys are looked up from the three parts of a request without building a string.
  struct KeyView {
    std::string_view org, repo, path;
  };
  struct Key {
    std::string org, repo, path;
  };
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(const KeyView& key) const;
    size_t operator()(const Key& key) const { return (*this)(View(key)); }
  };
  struct KeyEq {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return View(a).org == View(b).org && View(a).repo == View(b).repo &&
             View(a).path == View(b).path;
    }
  };
  static KeyView View(const KeyView& key) { return key; }
  static KeyView View(const Key& key) { return {key.org, key.repo, key.path}; }

  // What an open file was when opened: any change to it changes one of these.
  struct FileVersion {
    uint64_t device = 0, inode = 0, size = 0, links = 0;
    int64_t modified_ns = 0, changed_ns = 0;
    bool operator==(const FileVersion&) const = default;
  };
  // The version of the open file `fd`; nullopt when it cannot be inspected.
  static std::optional<FileVersion> VersionOf(int fd);

  struct Entry {
    ArtifactFile file;
    FileVersion version;
    absl::Time opened;     // when the folder was last asked
    absl::Time last_used;  // when a download last took it
  };
  // Shards keep threads serving different files off each other's lock.
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<Key, Entry, KeyHash, KeyEq> entries;  // guarded by mu
  };
  static constexpr size_t kShards = 16;

  // The hash's top bits: abseil's tables use its low ones inside each shard.
  static_assert(kShards == 16);
  Shard& ShardOf(size_t hash) const { return shards_[static_cast<uint64_t>(hash) >> 60]; }
  // Stores `file` under `key` in `shard` (locked), evicting the least recently used entry
  // when the shard is full.
  void Store(Shard& shard, const KeyView& key, const ArtifactFile& file, const FileVersion& version,
             absl::Time now) const;

  const std::shared_ptr<ArtifactSource> files_;
  const OpenFileCacheOptions options_;
  const size_t files_per_shard_;
  mutable std::array<Shard, kShards> shards_;
  // Counts Clear calls: a file opened before one is not stored after it.
  mutable std::atomic<uint64_t> generation_ = 0;
};

}  // namespace tollgate::storage
