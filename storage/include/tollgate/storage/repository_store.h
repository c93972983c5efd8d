// Repositories: `org/repo`, its visibility and its backing store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tollgate::storage {

enum class RepositoryType { kPrivate, kPublic };

struct Repository {
  std::string org;
  std::string slug;
  std::string name;
  RepositoryType type = RepositoryType::kPrivate;
  std::string storage_json = R"({"type":"fs"})";  // SPEC §3 `storage`, kept verbatim
  absl::Time created_at;
};

class RepositoryStore {
 public:
  virtual ~RepositoryStore() = default;

  // AlreadyExists when org/slug is taken; NotFound when the org does not exist.
  virtual absl::Status Create(const Repository& repository) = 0;
  // NotFound when absent.
  virtual absl::Status Update(const Repository& repository) = 0;
  // NotFound when absent. Deletes the repository's entitlements too.
  virtual absl::Status Delete(const std::string& org, const std::string& slug) = 0;
  // nullopt when absent. Reads no disk: safe on the download path.
  virtual std::optional<Repository> Get(const std::string& org, const std::string& slug) const = 0;
  // All repositories of `org`, ordered by slug.
  virtual std::vector<Repository> List(const std::string& org) const = 0;
};

}  // namespace tollgate::storage
