#include "admin/metadata_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "tollgate/base/concat.h"
#include "tollgate/storage/package_description.h"

namespace tollgate::gateway::admin {

MetadataSpool::~MetadataSpool() {
  if (fd_ >= 0) ::close(fd_);
}

absl::Status MetadataSpool::Open() {
  std::error_code error;
  const std::filesystem::path folder = std::filesystem::temp_directory_path(error);
  if (error) return absl::UnavailableError("no temporary folder to read the package's metadata");
  fd_ = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd_ < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    // A file system without O_TMPFILE: a named file, unlinked at once.
    std::string name = (folder / "tollgate-upload-XXXXXX").string();
    fd_ = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd_ >= 0) ::unlink(name.c_str());
  }
  if (fd_ < 0) {
    return absl::UnavailableError(Concat(
        "cannot open a temporary file to read the package's metadata: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status MetadataSpool::Append(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(size_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::UnavailableError(
          Concat("cannot buffer the package to read its metadata: ", std::strerror(errno)));
    }
    size_ += static_cast<uint64_t>(n);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

void MetadataSpool::ReadMetadataInto(storage::ArtifactRecord& record) const {
  storage::ReadPackageMetadata(fd_, size_, record);
}

}  // namespace tollgate::gateway::admin
