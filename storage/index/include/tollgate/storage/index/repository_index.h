// The in-memory repository index both repository stores serve reads from: org → slug →
// repository behind one reader/writer lock, so reads on the download path never wait on
// disk or network.
#pragma once

#include <map>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "tollgate/storage/repository_store.h"

namespace tollgate::storage {

class RepositoryIndex {
 public:
  // nullptr when absent.
  RepositoryPtr Get(const std::string& org, const std::string& slug) const;
  // Every repository of `org`, ordered by slug.
  std::vector<Repository> List(const std::string& org) const;
  // Inserts or replaces the repository with the same org and slug, with its storage parsed
  // from storage_json (outside the lock).
  void Put(Repository repository);
  // Does nothing when absent.
  void Remove(const std::string& org, const std::string& slug);
  // Replaces the whole index (a full reload), parsing each storage.
  void ReplaceAll(const std::vector<Repository>& repositories);

 private:
  mutable std::shared_mutex mu_;
  absl::flat_hash_map<std::string, std::map<std::string, RepositoryPtr>> by_org_;
};

}  // namespace tollgate::storage
