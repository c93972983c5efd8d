#include "tollgate/storage/package_description.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "tollgate/base/concat.h"
#include "tollgate/formats/registry.h"

namespace tollgate::storage {
namespace {

// The formats' view of an open file.
class DescriptorSource final : public formats::ByteSource {
 public:
  DescriptorSource(int fd, uint64_t size) : fd_(fd), size_(size) {}
  uint64_t size() const override { return size_; }
  absl::StatusOr<size_t> ReadAt(uint64_t offset, char* out, size_t length) const override {
    if (offset >= size_) return 0;
    length = static_cast<size_t>(std::min<uint64_t>(length, size_ - offset));
    for (;;) {
      const ssize_t n = ::pread(fd_, out, length, static_cast<off_t>(offset));
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) {
        return absl::UnavailableError(Concat("read failed: ", std::strerror(errno)));
      }
    }
  }

 private:
  int fd_;
  uint64_t size_;
};

}  // namespace

void PackageDigests::Update(std::string_view bytes) {
  size_ += bytes.size();
  sha1_.Update(bytes);
  sha256_.Update(bytes);
  sha512_.Update(bytes);
}

void PackageDigests::Finish(ArtifactRecord& record) {
  record.size = size_;
  record.sha1 = sha1_.HexDigest();
  record.sha256 = sha256_.HexDigest();
  record.sha512 = sha512_.HexDigest();
}

bool MayHaveMetadata(std::string_view path) {
  const std::optional<formats::PackageIdentity> identity = formats::IdentifyPackage(path);
  return identity && identity->format != formats::PackageFormat::kRaw;
}

void ReadPackageMetadata(int fd, uint64_t size, ArtifactRecord& record) {
  record.metadata.clear();
  const std::optional<formats::PackageIdentity> identity = formats::IdentifyPackage(record.path);
  if (!identity) return;
  absl::StatusOr<std::string> metadata =
      formats::FormatOf(identity->format)
          .ReadMetadata(record.path, *identity, DescriptorSource(fd, size));
  if (metadata.ok()) record.metadata = *std::move(metadata);
}

absl::Status DescribePackageFile(int fd, ArtifactRecord& record) {
  PackageDigests digests;
  std::array<char, 64 * 1024> buffer;
  uint64_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::InternalError(Concat("read failed: ", std::strerror(errno)));
    if (n == 0) break;
    digests.Update(std::string_view(buffer.data(), static_cast<size_t>(n)));
    offset += static_cast<uint64_t>(n);
  }
  digests.Finish(record);
  ReadPackageMetadata(fd, record.size, record);
  return absl::OkStatus();
}

}  // namespace tollgate::storage
