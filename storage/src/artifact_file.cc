// ArtifactFile: an open artifact descriptor with the size and time it had when opened.
#include <unistd.h>

#include <utility>

#include "tollgate/storage/artifact_source.h"

namespace tollgate::storage {

ArtifactFile::ArtifactFile(int fd, uint64_t size, absl::Time modified)
    : fd_(fd), size_(size), modified_(modified) {}

ArtifactFile::ArtifactFile(ArtifactFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_), modified_(other.modified_) {}

ArtifactFile& ArtifactFile::operator=(ArtifactFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
    modified_ = other.modified_;
  }
  return *this;
}

ArtifactFile::~ArtifactFile() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace tollgate::storage
