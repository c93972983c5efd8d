// Records of the repositories' package files: who uploaded what, its size and checksums, and
// what its format read from inside it (for the package-manager views). Uploads are recorded
// as they land; files placed in the folder by hand when the catalog indexer first sees them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tollgate::storage {

struct ArtifactRecord {
  std::string org;
  std::string repo;
  std::string path;  // normalised, relative to the repository root
  uint64_t size = 0;
  std::string sha256;                   // lowercase hex
  std::optional<std::string> uploader;  // empty for files placed in the folder by hand
  absl::Time uploaded_at;
  std::string sha1;    // lowercase hex; "" in records of earlier versions
  std::string sha512;  // lowercase hex; "" in records of earlier versions
  // The format's metadata (formats::Format::ReadMetadata), "" when it has none or the record
  // predates it.
  std::string metadata;
};

class ArtifactCatalog {
 public:
  virtual ~ArtifactCatalog() = default;

  // Inserts or replaces the record for org/repo/path. Unavailable on a store failure.
  virtual absl::Status Put(const ArtifactRecord& record) = 0;
  // Put of each record, stopping at the first failure; stores that can make it one write
  // (one SQLite transaction instead of one fsync per file) do. What the folder indexer uses.
  virtual absl::Status PutAll(const std::vector<ArtifactRecord>& records) {
    for (const ArtifactRecord& record : records) {
      if (absl::Status put = Put(record); !put.ok()) return put;
    }
    return absl::OkStatus();
  }
  // NotFound when absent.
  virtual absl::Status Remove(const std::string& org, const std::string& repo,
                              const std::string& path) = 0;
  virtual std::optional<ArtifactRecord> Get(const std::string& org, const std::string& repo,
                                            const std::string& path) const = 0;
  // Every record of org/repo, ordered by path.
  virtual std::vector<ArtifactRecord> List(const std::string& org,
                                           const std::string& repo) const = 0;
  // A number that changes whenever a record of org/repo is put or removed: what the views'
  // in-memory copies compare to know they are current. A repository deleted and created again
  // may count from the start again (its copies are told apart by the repository's creation
  // time). Unavailable on a store failure.
  virtual absl::StatusOr<uint64_t> Generation(const std::string& org,
                                              const std::string& repo) const = 0;
};

}  // namespace tollgate::storage
