// The shared in-memory repository index.
#include "tollgate/storage/index/repository_index.h"

#include <mutex>
#include <utility>

namespace tollgate::storage {

namespace {

RepositoryPtr Parsed(Repository repository) {
  repository.storage =
      ParseRepositoryStorage(repository.org, repository.slug, repository.storage_json);
  return std::make_shared<const Repository>(std::move(repository));
}

}  // namespace

RepositoryPtr RepositoryIndex::Get(const std::string& org, const std::string& slug) const {
  std::shared_lock lock(mu_);
  auto org_it = by_org_.find(org);
  if (org_it == by_org_.end()) return nullptr;
  auto it = org_it->second.find(slug);
  if (it == org_it->second.end()) return nullptr;
  return it->second;
}

std::vector<Repository> RepositoryIndex::List(const std::string& org) const {
  std::vector<Repository> list;
  std::shared_lock lock(mu_);
  auto org_it = by_org_.find(org);
  if (org_it == by_org_.end()) return list;
  list.reserve(org_it->second.size());
  for (const auto& [slug, repository] : org_it->second) list.push_back(*repository);
  return list;
}

void RepositoryIndex::Put(Repository repository) {
  RepositoryPtr parsed = Parsed(std::move(repository));
  std::lock_guard lock(mu_);
  by_org_[parsed->org].insert_or_assign(parsed->slug, std::move(parsed));
}

void RepositoryIndex::Remove(const std::string& org, const std::string& slug) {
  std::lock_guard lock(mu_);
  auto org_it = by_org_.find(org);
  if (org_it == by_org_.end()) return;
  org_it->second.erase(slug);
  if (org_it->second.empty()) by_org_.erase(org_it);
}

void RepositoryIndex::ReplaceAll(const std::vector<Repository>& repositories) {
  absl::flat_hash_map<std::string, std::map<std::string, RepositoryPtr>> by_org;
  for (const Repository& repository : repositories) {
    by_org[repository.org].insert_or_assign(repository.slug, Parsed(repository));
  }
  std::lock_guard lock(mu_);
  std::swap(by_org_, by_org);
}

}  // namespace tollgate::storage
