// ArtifactCatalog on the embedded SQLite database. Unlike the other embedded stores it keeps
// no copy of the records in memory: a repository may hold many files, and the views keep
// their own copy. Generations live in memory only: the embedded store has one process, and
// a restarted process starts with no copies to compare them with.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "tollgate/storage/artifact_catalog.h"

namespace tollgate::storage {

class SqliteDatabase;

class EmbeddedArtifactCatalog final : public ArtifactCatalog {
 public:
  explicit EmbeddedArtifactCatalog(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  // NotFound when org/repo does not exist, besides the errors the interface names.
  absl::Status Put(const ArtifactRecord& record) override;
  // One transaction for all of them.
  absl::Status PutAll(const std::vector<ArtifactRecord>& records) override;
  absl::Status Remove(const std::string& org, const std::string& repo,
                      const std::string& path) override;
  // A database read failure reads as absent.
  std::optional<ArtifactRecord> Get(const std::string& org, const std::string& repo,
                                    const std::string& path) const override;
  // A database read failure reads as an empty list.
  std::vector<ArtifactRecord> List(const std::string& org, const std::string& repo) const override;
  absl::StatusOr<uint64_t> Generation(const std::string& org,
                                      const std::string& repo) const override;

 private:
  void Advance(const std::string& org, const std::string& repo);

  const std::shared_ptr<SqliteDatabase> db_;
  mutable std::mutex generations_mu_;
  uint64_t last_generation_ = 0;
  absl::flat_hash_map<std::string, uint64_t> generations_;  // "org/repo" → its generation
};

}  // namespace tollgate::storage
