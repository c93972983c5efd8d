// Repositories: `org/repo`, its visibility and its backing store.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tollgate/storage/http_origin.h"

namespace tollgate::storage {

enum class RepositoryType { kPrivate, kPublic };

// Where a repository's bytes live, read from its `storage` JSON once, when the repository is
// written or loaded, so no download parses it.
struct FilesystemStorage {};  // the artifacts folder
struct UnreadableStorage {};  // a stored configuration that no longer parses (a damaged
                              // store): downloads answer 502, the API shows the JSON
using RepositoryStorage = std::variant<FilesystemStorage, HttpOriginConfig, UnreadableStorage>;

// The storage `storage_json` of repository `org/slug` describes (an origin's settings name
// their repository). Never fails: unreadable text is UnreadableStorage.
RepositoryStorage ParseRepositoryStorage(std::string_view org, std::string_view slug,
                                         std::string_view storage_json);

struct Repository {
  std::string org;
  std::string slug;
  std::string name;
  RepositoryType type = RepositoryType::kPrivate;
  std::string storage_json = R"({"type":"fs"})";  // SPEC §3 `storage`, kept verbatim
  // `storage_json` parsed; filled by the stores when the repository is written or loaded.
  RepositoryStorage storage;
  absl::Time created_at;
};

// True when the repository's bytes live at an HTTP origin (also when its stored origin
// configuration is unreadable), false for the artifacts folder.
inline bool StoredAtOrigin(const Repository& repository) {
  return !std::holds_alternative<FilesystemStorage>(repository.storage);
}

// A repository as the stores hand it out: shared, never changed (an update replaces it).
using RepositoryPtr = std::shared_ptr<const Repository>;

class RepositoryStore {
 public:
  virtual ~RepositoryStore() = default;

  // AlreadyExists when org/slug is taken; NotFound when the org does not exist.
  virtual absl::Status Create(const Repository& repository) = 0;
  // NotFound when absent.
  virtual absl::Status Update(const Repository& repository) = 0;
  // NotFound when absent. Deletes the repository's entitlements and signing key too.
  virtual absl::Status Delete(const std::string& org, const std::string& slug) = 0;
  // nullptr when absent. Reads no disk and copies nothing: safe on the download path.
  virtual RepositoryPtr Get(const std::string& org, const std::string& slug) const = 0;
  // All repositories of `org`, ordered by slug.
  virtual std::vector<Repository> List(const std::string& org) const = 0;
};

}  // namespace tollgate::storage
