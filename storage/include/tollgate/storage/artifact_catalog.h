// Records of uploaded artifacts: who uploaded what, its size and checksum.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
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
};

class ArtifactCatalog {
 public:
  virtual ~ArtifactCatalog() = default;

  // Inserts or replaces the record for org/repo/path. Unavailable on a store failure.
  virtual absl::Status Put(const ArtifactRecord& record) = 0;
  // NotFound when absent.
  virtual absl::Status Remove(const std::string& org, const std::string& repo,
                              const std::string& path) = 0;
  virtual std::optional<ArtifactRecord> Get(const std::string& org, const std::string& repo,
                                            const std::string& path) const = 0;
  // Every record of org/repo, ordered by path.
  virtual std::vector<ArtifactRecord> List(const std::string& org,
                                           const std::string& repo) const = 0;
};

}  // namespace tollgate::storage
