// The in-memory index of org directories that both account stores answer reads from without
// I/O: org → directory, and API key hash → the account that holds it.
#pragma once

#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "tollgate/storage/account_store.h"

namespace tollgate::storage {

// Thread-safe. Readers share a lock held only for the lookup itself; directories are
// immutable, so a reader keeps the copy it got, whatever replaces it later. Empty key hashes
// (an account without a key) are never indexed.
class DirectoryIndex {
 public:
  // nullptr when there is no such org.
  DirectoryPtr Get(const std::string& org) const;
  bool Empty() const;
  // The member or service whose key hashes to `key_hash`, with its role in the indexed
  // directory, or nullopt.
  std::optional<policy::Principal> FindByKeyHash(const std::string& key_hash) const;

  // Makes `directory` the directory of its org, with its key hashes in place of the old ones.
  // A key hash another org's directory holds is taken over: while a replica catches up, a
  // key may briefly appear to move between orgs, and the newest copy read wins.
  void Put(DirectoryPtr directory);
  // Forgets `org` and its key hashes; does nothing when absent.
  void Remove(const std::string& org);
  // Replaces the whole index (a full reload).
  void ReplaceAll(const std::vector<DirectoryPtr>& directories);

 private:
  struct Tables {
    absl::flat_hash_map<std::string, DirectoryPtr> by_org;
    absl::flat_hash_map<std::string, policy::Principal> by_key_hash;

    void Insert(DirectoryPtr directory);
    void Erase(const std::string& org);
  };

  mutable std::shared_mutex mu_;
  Tables tables_;
};

}  // namespace tollgate::storage
