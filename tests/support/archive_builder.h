// Archives built in memory with libarchive's writer, for tests of what formats read from inside
// package files: wheels (zip), npm tarballs and sdists (tar.gz), .deb files (ar).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tollgate/formats/byte_source.h"

namespace tollgate::formats::testing {

enum class ArchiveKind { kZip, kTar, kTarGz, kAr };

// Path inside the archive, content.
using ArchiveMembers = std::vector<std::pair<std::string, std::string>>;

// The bytes of an archive of `kind` holding `members` as regular files, in order.
std::string BuildArchive(ArchiveKind kind, const ArchiveMembers& members);

// A ByteSource over bytes in memory.
class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  uint64_t size() const override { return bytes_.size(); }
  absl::StatusOr<size_t> ReadAt(uint64_t offset, char* out, size_t length) const override;

 private:
  std::string bytes_;
};

}  // namespace tollgate::formats::testing
