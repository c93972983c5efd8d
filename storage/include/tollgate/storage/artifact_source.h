// Where artifact bytes live. The filesystem source keeps `{root}/{org}/{repo}/{path}`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tollgate::storage {

// Whether repository path `path` lies in the folder "-", which the package-manager views own
// ("{repo}/-/pypi/…"): nothing there is uploaded, catalogued or served as a file.
constexpr bool IsReservedForViews(std::string_view path) {
  return path == "-" || path.starts_with("-/");
}

// An open, regular artifact file with the size and time it had when opened. Copies share the
// descriptor, which closes with the last of them: the open-file cache hands one descriptor to
// many requests at once, so it is only ever read at explicit offsets (pread, sendfile).
class ArtifactFile {
 public:
  // Takes ownership of `fd`.
  ArtifactFile(int fd, uint64_t size, absl::Time modified);

  int fd() const { return descriptor_ ? descriptor_->fd : -1; }  // -1 once moved from
  uint64_t size() const { return size_; }
  absl::Time modified() const { return modified_; }

 private:
  struct Descriptor {
    explicit Descriptor(int owned) : fd(owned) {}
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor();
    const int fd;
  };

  std::shared_ptr<const Descriptor> descriptor_;
  uint64_t size_ = 0;
  absl::Time modified_;
};

// Receives an upload; nothing is visible under the final path until Commit succeeds.
class ArtifactWriter {
 public:
  virtual ~ArtifactWriter() = default;  // discards the upload unless committed
  // Appends bytes. Unavailable/ResourceExhausted on I/O failure.
  virtual absl::Status Write(std::string_view bytes) = 0;
  // Makes the file durable and atomically visible. AlreadyExists when the path exists and
  // `overwrite` is false.
  virtual absl::Status Commit(bool overwrite) = 0;
};

struct ArtifactListing {
  std::string path;
  uint64_t size = 0;
  absl::Time modified;
};

class ArtifactSource {
 public:
  virtual ~ArtifactSource() = default;

  // Opens org/repo/path, a normalised relative path. NotFound when absent, not a regular
  // file, or reachable only through a link that leaves the repository folder.
  virtual absl::StatusOr<ArtifactFile> Open(std::string_view org, std::string_view repo,
                                            std::string_view path) const = 0;
  // Starts an upload to org/repo/path, creating folders as needed.
  virtual absl::StatusOr<std::unique_ptr<ArtifactWriter>> BeginWrite(std::string_view org,
                                                                     std::string_view repo,
                                                                     std::string_view path) = 0;
  // NotFound when absent.
  virtual absl::Status Remove(std::string_view org, std::string_view repo,
                              std::string_view path) = 0;
  // Every regular file of the repository, ordered by path (upload temporaries excluded).
  virtual absl::StatusOr<std::vector<ArtifactListing>> List(std::string_view org,
                                                            std::string_view repo) const = 0;
};

}  // namespace tollgate::storage
