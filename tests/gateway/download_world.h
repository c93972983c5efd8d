// A small world for socket-free download tests and the decision benchmark: embedded stores and
// an artifacts folder in a temporary folder, with org "acme" and private repository
// "acme/agents". Removed with the object.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "download/download_services.h"
#include "tollgate/policy/entitlement.h"
#include "tollgate/storage/repository_store.h"
#include "tollgate/storage/stores.h"

namespace tollgate::testing {

class DownloadWorld {
 public:
  // Throws std::runtime_error naming the step that failed.
  DownloadWorld();
  ~DownloadWorld();
  DownloadWorld(const DownloadWorld&) = delete;
  DownloadWorld& operator=(const DownloadWorld&) = delete;

  // Adds repository acme/`slug` with the given visibility and storage JSON.
  void AddRepository(const std::string& slug, storage::RepositoryType type,
                     const std::string& storage_json = R"({"type":"fs"})");
  // Writes `size` bytes ('x') at `path` of acme/`repo`, creating folders.
  void AddFile(std::string_view repo, std::string_view path, size_t size);
  // Adds a token of acme/`repo` whose string is `token` and identifier `{token}-id`; `configure`
  // sets its limits before it is stored.
  void AddToken(const std::string& repo, const std::string& token,
                const std::function<void(policy::Entitlement&)>& configure = {});

  storage::Stores& stores() { return stores_; }
  // What a download pipeline needs, over this world.
  gateway::DownloadServices Services(gateway::DownloadOptions options = {}) const;

 private:
  std::filesystem::path root_;
  storage::Stores stores_;
};

}  // namespace tollgate::testing
