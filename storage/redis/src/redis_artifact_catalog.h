// ArtifactCatalog on Redis. Like the embedded catalog it keeps no replica: a repository may
// hold many files, the views keep their own copy, and reading Redis keeps every instance
// current. Each change of a repository's records advances its generation in the same script.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "redis_script.h"
#include "redis_store_context.h"
#include "tollgate/storage/artifact_catalog.h"

namespace tollgate::storage {

class RedisArtifactCatalog final : public ArtifactCatalog {
 public:
  explicit RedisArtifactCatalog(RedisStoreContext& context);

  // NotFound when org/repo does not exist, besides the errors the interface names;
  // Unavailable or DeadlineExceeded when Redis did not confirm the write.
  absl::Status Put(const ArtifactRecord& record) override;
  absl::Status Remove(const std::string& org, const std::string& repo,
                      const std::string& path) override;
  // Reads Redis. A failed read (or an undecodable record) reads as absent.
  std::optional<ArtifactRecord> Get(const std::string& org, const std::string& repo,
                                    const std::string& path) const override;
  // Reads Redis. A failed read reads as an empty list; undecodable records are left out.
  std::vector<ArtifactRecord> List(const std::string& org, const std::string& repo) const override;
  // Reads Redis (one GET).
  absl::StatusOr<uint64_t> Generation(const std::string& org,
                                      const std::string& repo) const override;

 private:
  RedisStoreContext& context_;
  const RedisScript put_script_;
  const RedisScript remove_script_;
};

}  // namespace tollgate::storage
