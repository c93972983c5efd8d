// What the catalog records of a package file besides its path: its checksums and the metadata
// its format reads from inside it (SPEC §7's views).
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "tollgate/base/message_digest.h"
#include "tollgate/storage/artifact_catalog.h"

namespace tollgate::storage {

// The checksums of a body that arrives in chunks (an upload), or of a whole file.
class PackageDigests {
 public:
  void Update(std::string_view bytes);
  // Sets size, sha1, sha256 and sha512 of `record`; the object is spent afterwards.
  void Finish(ArtifactRecord& record);

 private:
  uint64_t size_ = 0;
  MessageDigest sha1_{MessageDigest::Algorithm::kSha1};
  MessageDigest sha256_{MessageDigest::Algorithm::kSha256};
  MessageDigest sha512_{MessageDigest::Algorithm::kSha512};
};

// Whether the file at repository path `path` is a package whose format may read metadata
// from inside it (not raw files, not index files).
bool MayHaveMetadata(std::string_view path);

// Sets record.metadata from the open file `fd` of `size` bytes at repository path record.path.
// A file its format cannot read (a damaged archive) gets empty metadata: it is still a file of
// the repository, and the views leave out what they cannot describe.
void ReadPackageMetadata(int fd, uint64_t size, ArtifactRecord& record);

// Both of the above from the open file `fd`: checksums in one pass, then the metadata.
// Internal on a read error.
absl::Status DescribePackageFile(int fd, ArtifactRecord& record);

}  // namespace tollgate::storage
