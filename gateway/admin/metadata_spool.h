// A copy of an upload's bytes in an unnamed temporary file (TMPDIR), kept while an upload to an
// S3 origin runs so that its format's metadata can be read after the commit: tollgate cannot
// read the object back cheaply. Nothing is left on disk: the file has no name (O_TMPFILE, or a
// file unlinked at once where the file system lacks it), and its descriptor closes with the
// spool. It costs as much temporary space as the upload in flight.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "tollgate/storage/artifact_catalog.h"

namespace tollgate::gateway::admin {

class MetadataSpool {
 public:
  MetadataSpool() = default;
  MetadataSpool(const MetadataSpool&) = delete;
  MetadataSpool& operator=(const MetadataSpool&) = delete;
  ~MetadataSpool();

  // Opens the temporary file in the system's temporary folder. Unavailable when it cannot.
  absl::Status Open();
  bool is_open() const { return fd_ >= 0; }
  // Appends the next bytes. Unavailable when the disk refuses them.
  absl::Status Append(std::string_view bytes);
  // Sets record.metadata from the bytes appended.
  void ReadMetadataInto(storage::ArtifactRecord& record) const;

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace tollgate::gateway::admin
