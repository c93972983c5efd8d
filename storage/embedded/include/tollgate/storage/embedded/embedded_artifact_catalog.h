// ArtifactCatalog on the embedded SQLite database. Unlike the other embedded stores it keeps
// nothing in memory: no download reads it, and a repository may hold many files.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tollgate/storage/artifact_catalog.h"

namespace tollgate::storage {

class SqliteDatabase;

class EmbeddedArtifactCatalog final : public ArtifactCatalog {
 public:
  explicit EmbeddedArtifactCatalog(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  // NotFound when org/repo does not exist, besides the errors the interface names.
  absl::Status Put(const ArtifactRecord& record) override;
  absl::Status Remove(const std::string& org, const std::string& repo,
                      const std::string& path) override;
  // A database read failure reads as absent.
  std::optional<ArtifactRecord> Get(const std::string& org, const std::string& repo,
                                    const std::string& path) const override;
  // A database read failure reads as an empty list.
  std::vector<ArtifactRecord> List(const std::string& org, const std::string& repo) const override;

 private:
  const std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace tollgate::storage
