#include "tollgate/storage/files/open_file_cache.h"

#include <sys/stat.h>

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"

namespace tollgate::storage {
namespace {

// Debian's abseil keeps its own string_view type, which std::string_view does not convert to.
absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// An upload through the cache: once it is in place, the cache forgets what it held.
class InvalidatingWriter final : public ArtifactWriter {
 public:
  InvalidatingWriter(std::unique_ptr<ArtifactWriter> writer, std::function<void()> on_commit)
      : writer_(std::move(writer)), on_commit_(std::move(on_commit)) {}

  absl::Status Write(std::string_view bytes) override { return writer_->Write(bytes); }

  absl::Status Commit(bool overwrite) override {
    absl::Status committed = writer_->Commit(overwrite);
    // Also after a failed commit: the file may have been renamed into place before a later
    // step (the folder's sync) failed.
    on_commit_();
    return committed;
  }

 private:
  std::unique_ptr<ArtifactWriter> writer_;
  std::function<void()> on_commit_;
};

}  // namespace

size_t OpenFileCache::KeyHash::operator()(const KeyView& key) const {
  return absl::HashOf(AbslView(key.org), AbslView(key.repo), AbslView(key.path));
}

OpenFileCache::OpenFileCache(std::shared_ptr<ArtifactSource> files, OpenFileCacheOptions options)
    : files_(std::move(files)),
      options_(std::move(options)),
      files_per_shard_(std::max<size_t>(1, options_.max_files / kShards)) {}

std::optional<OpenFileCache::FileVersion> OpenFileCache::VersionOf(int fd) {
  struct stat status;
  if (::fstat(fd, &status) != 0) return std::nullopt;
  const auto nanoseconds = [](const timespec& t) {
    return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
  };
  return FileVersion{.device = status.st_dev,
                     .inode = status.st_ino,
                     .size = static_cast<uint64_t>(status.st_size),
                     .links = status.st_nlink,
                     .modified_ns = nanoseconds(status.st_mtim),
                     .changed_ns = nanoseconds(status.st_ctim)};
}

absl::StatusOr<ArtifactFile> OpenFileCache::Open(std::string_view org, std::string_view repo,
                                                 std::string_view path) const {
  const KeyView key{org, repo, path};
  const size_t hash = KeyHash{}(key);
  Shard& shard = ShardOf(hash);
  const absl::Time now = options_.clock();
  std::optional<ArtifactFile> cached;
  FileVersion cached_version;
  {
    std::lock_guard lock(shard.mu);
    if (const auto it = shard.entries.find(key, hash); it != shard.entries.end()) {
      Entry& entry = it->second;
      if (now - entry.opened < options_.revalidate_after) {
        entry.last_used = now;
        cached = entry.file;
        cached_version = entry.version;
      }
    }
  }
  // Checked outside the lock. A file removed or replaced by a rename is unlinked (fewer
  // links), one written in place has new times: either way it is opened again by its path.
  if (cached && VersionOf(cached->fd()) == cached_version) return *std::move(cached);
  // Opened outside the lock: a slow disk must not hold up the shard's other files.
  const uint64_t generation = generation_.load(std::memory_order_acquire);
  absl::StatusOr<ArtifactFile> opened = files_->Open(org, repo, path);
  const std::optional<FileVersion> version = opened.ok() ? VersionOf(opened->fd()) : std::nullopt;
  std::lock_guard lock(shard.mu);
  // Not kept: a file replaced or removed between its open and its stat (no links left), or
  // one opened before an upload or a removal through this cache emptied it.
  if (!version || version->links == 0 ||
      generation != generation_.load(std::memory_order_acquire)) {
    if (const auto it = shard.entries.find(key, hash); it != shard.entries.end()) {
      shard.entries.erase(it);
    }
    return opened;
  }
  Store(shard, key, *opened, *version, now);
  return opened;
}

void OpenFileCache::Store(Shard& shard, const KeyView& key, const ArtifactFile& file,
                          const FileVersion& version, absl::Time now) const {
  if (const auto it = shard.entries.find(key); it != shard.entries.end()) {
    it->second = Entry{file, version, now, now};
    return;
  }
  if (shard.entries.size() >= files_per_shard_) {
    // A shard holds few entries, so finding the least recently used one by a scan is cheaper
    // than keeping a list in order on every hit.
    const auto oldest = std::min_element(
        shard.entries.begin(), shard.entries.end(),
        [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; });
    shard.entries.erase(oldest);
  }
  shard.entries.emplace(Key{std::string(key.org), std::string(key.repo), std::string(key.path)},
                        Entry{file, version, now, now});
}

absl::StatusOr<std::unique_ptr<ArtifactWriter>> OpenFileCache::BeginWrite(std::string_view org,
                                                                          std::string_view repo,
                                                                          std::string_view path) {
  absl::StatusOr<std::unique_ptr<ArtifactWriter>> writer = files_->BeginWrite(org, repo, path);
  if (!writer.ok()) return writer;
  return std::make_unique<InvalidatingWriter>(*std::move(writer), [this] { Clear(); });
}

absl::Status OpenFileCache::Remove(std::string_view org, std::string_view repo,
                                   std::string_view path) {
  absl::Status removed = files_->Remove(org, repo, path);
  Clear();
  return removed;
}

absl::StatusOr<std::vector<ArtifactListing>> OpenFileCache::List(std::string_view org,
                                                                 std::string_view repo) const {
  return files_->List(org, repo);
}

void OpenFileCache::Sweep() const {
  const absl::Time now = options_.clock();
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    absl::erase_if(shard.entries, [&](const auto& entry) {
      return now - entry.second.last_used >= options_.close_idle_after;
    });
  }
}

void OpenFileCache::Clear() const {
  generation_.fetch_add(1, std::memory_order_acq_rel);
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    shard.entries.clear();
  }
}

size_t OpenFileCache::size() const {
  size_t files = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    files += shard.entries.size();
  }
  return files;
}

}  // namespace tollgate::storage
