// The shared in-memory index of org directories.
#include "tollgate/storage/index/directory_index.h"

#include <mutex>
#include <utility>

namespace tollgate::storage {
namespace {

// Calls `visit(kind, name, role, key_hash)` for every account of `directory` that has a key.
template <typename Visit>
void ForEachKey(const policy::OrgDirectory& directory, Visit visit) {
  for (const policy::Member& member : directory.members) {
    if (!member.key_hash.empty()) {
      visit(policy::PrincipalKind::kUser, member.name, member.role, member.key_hash);
    }
  }
  for (const policy::Service& service : directory.services) {
    if (!service.key_hash.empty()) {
      visit(policy::PrincipalKind::kService, service.slug, service.role, service.key_hash);
    }
  }
}

}  // namespace

DirectoryPtr DirectoryIndex::Get(const std::string& org) const {
  std::shared_lock lock(mu_);
  auto it = tables_.by_org.find(org);
  return it == tables_.by_org.end() ? nullptr : it->second;
}

bool DirectoryIndex::Empty() const {
  std::shared_lock lock(mu_);
  return tables_.by_org.empty();
}

std::optional<policy::Principal> DirectoryIndex::FindByKeyHash(const std::string& key_hash) const {
  std::shared_lock lock(mu_);
  auto it = tables_.by_key_hash.find(key_hash);
  if (it == tables_.by_key_hash.end()) return std::nullopt;
  return it->second;
}

void DirectoryIndex::Put(DirectoryPtr directory) {
  std::lock_guard lock(mu_);
  tables_.Insert(std::move(directory));
}

void DirectoryIndex::Remove(const std::string& org) {
  std::lock_guard lock(mu_);
  tables_.Erase(org);
}

void DirectoryIndex::ReplaceAll(const std::vector<DirectoryPtr>& directories) {
  // Built without the lock, which is then held only for the swap.
  Tables tables;
  for (const DirectoryPtr& directory : directories) tables.Insert(directory);
  std::lock_guard lock(mu_);
  std::swap(tables_, tables);
}

void DirectoryIndex::Tables::Insert(DirectoryPtr directory) {
  Erase(directory->org);
  ForEachKey(*directory, [&](policy::PrincipalKind kind, const std::string& name,
                             policy::OrgRole role, const std::string& key_hash) {
    by_key_hash.insert_or_assign(key_hash, policy::Principal{directory->org, kind, name, role});
  });
  std::string org = directory->org;
  by_org.insert_or_assign(std::move(org), std::move(directory));
}

void DirectoryIndex::Tables::Erase(const std::string& org) {
  auto found = by_org.find(org);
  if (found == by_org.end()) return;
  ForEachKey(*found->second, [&](policy::PrincipalKind, const std::string&, policy::OrgRole,
                                 const std::string& key_hash) {
    // Only when it is still this org's: another may have taken the key over since.
    if (auto it = by_key_hash.find(key_hash); it != by_key_hash.end() && it->second.org == org) {
      by_key_hash.erase(it);
    }
  });
  by_org.erase(found);
}

}  // namespace tollgate::storage
