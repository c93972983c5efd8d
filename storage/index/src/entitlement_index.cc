// The entitlement index: three hash maps kept consistent under one reader/writer lock.
#include "tollgate/storage/index/entitlement_index.h"

#include <algorithm>
#include <mutex>
#include <tuple>
#include <utility>

#include "tollgate/storage/secrets.h"

namespace tollgate::storage {

EntitlementIndex::EntitlementIndex(std::string token_hash_key)
    : key_(std::make_shared<const std::string>(std::move(token_hash_key))) {}

std::string EntitlementIndex::token_hash_key() const {
  std::shared_lock lock(mu_);
  return *key_;
}

std::string EntitlementIndex::HashToken(std::string_view token) const {
  std::shared_lock lock(mu_);
  return KeyedTokenHash(*key_, token);
}

EntitlementPtr EntitlementIndex::Get(const std::string& org, const std::string& repo,
                                     const std::string& identifier) const {
  std::shared_lock lock(mu_);
  const RepoTokens* tokens = tables_.FindRepo(org, repo);
  if (tokens == nullptr) return nullptr;
  auto it = tokens->by_identifier.find(identifier);
  return it == tokens->by_identifier.end() ? nullptr : it->second;
}

EntitlementPtr EntitlementIndex::FindByToken(const std::string& org, const std::string& repo,
                                             std::string_view token) const {
  // The HMAC is computed outside the lock, so writers never wait for it; a Reset with a new key
  // in between (a full reload) is noticed and the hash computed again.
  std::shared_ptr<const std::string> key;
  {
    std::shared_lock lock(mu_);
    key = key_;
  }
  for (;;) {
    const TokenHash hash = KeyedTokenHashText(*key, token);
    std::shared_lock lock(mu_);
    if (key_ != key) {
      key = key_;
      continue;
    }
    const RepoTokens* tokens = tables_.FindRepo(org, repo);
    if (tokens == nullptr) return nullptr;
    const std::string_view hex = hash.view();
    auto it = tokens->by_token_hash.find(absl::string_view(hex.data(), hex.size()));
    if (it == tokens->by_token_hash.end()) return nullptr;
    // The hash lookup already picked the token; comparing the strings too means a hash
    // collision can never let a different token in.
    if (!ConstantTimeEquals(it->second->token, token)) return nullptr;
    return it->second;
  }
}

bool EntitlementIndex::ContainsToken(std::string_view token) const {
  std::shared_lock lock(mu_);
  return tables_.token_hash_holders.contains(KeyedTokenHash(*key_, token));
}

bool EntitlementIndex::ContainsIdentifier(const std::string& identifier) const {
  std::shared_lock lock(mu_);
  return tables_.by_identifier.contains(identifier);
}

std::vector<EntitlementPtr> EntitlementIndex::List(const std::string& org,
                                                   const std::string& repo) const {
  std::vector<EntitlementPtr> list;
  {
    std::shared_lock lock(mu_);
    const RepoTokens* tokens = tables_.FindRepo(org, repo);
    if (tokens == nullptr) return list;
    list.reserve(tokens->by_identifier.size());
    for (const auto& [identifier, entitlement] : tokens->by_identifier) {
      list.push_back(entitlement);
    }
  }
  std::sort(list.begin(), list.end(), [](const EntitlementPtr& a, const EntitlementPtr& b) {
    return std::tie(a->created_at, a->identifier) < std::tie(b->created_at, b->identifier);
  });
  return list;
}

void EntitlementIndex::Put(EntitlementPtr entitlement) {
  std::lock_guard lock(mu_);
  tables_.Insert(*key_, std::move(entitlement));
}

void EntitlementIndex::Remove(const std::string& identifier) {
  std::lock_guard lock(mu_);
  tables_.Erase(*key_, identifier);
}

void EntitlementIndex::ReplaceRepository(const std::string& org, const std::string& repo,
                                         const std::vector<EntitlementPtr>& entitlements) {
  std::lock_guard lock(mu_);
  if (const RepoTokens* tokens = tables_.FindRepo(org, repo); tokens != nullptr) {
    std::vector<std::string> identifiers;
    identifiers.reserve(tokens->by_identifier.size());
    for (const auto& [identifier, entitlement] : tokens->by_identifier) {
      identifiers.push_back(identifier);
    }
    for (const std::string& identifier : identifiers) tables_.Erase(*key_, identifier);
  }
  for (const EntitlementPtr& entitlement : entitlements) tables_.Insert(*key_, entitlement);
}

void EntitlementIndex::Reset(std::string token_hash_key,
                             const std::vector<EntitlementPtr>& entitlements) {
  // Built without the lock, which is then held only for the swap.
  Tables tables;
  for (const EntitlementPtr& entitlement : entitlements) tables.Insert(token_hash_key, entitlement);
  std::lock_guard lock(mu_);
  key_ = std::make_shared<const std::string>(std::move(token_hash_key));
  std::swap(tables_, tables);
}

void EntitlementIndex::Tables::Insert(const std::string& key, EntitlementPtr entitlement) {
  Erase(key, entitlement->identifier);
  std::string token_hash = KeyedTokenHash(key, entitlement->token);
  ++token_hash_holders[token_hash];
  RepoTokens& tokens = repos[entitlement->org][entitlement->repo];
  tokens.by_token_hash.insert_or_assign(std::move(token_hash), entitlement);
  tokens.by_identifier.insert_or_assign(entitlement->identifier, entitlement);
  by_identifier.insert_or_assign(entitlement->identifier, std::move(entitlement));
}

void EntitlementIndex::Tables::Erase(const std::string& key, const std::string& identifier) {
  auto found = by_identifier.find(identifier);
  if (found == by_identifier.end()) return;
  const EntitlementPtr entitlement = std::move(found->second);
  by_identifier.erase(found);
  const std::string token_hash = KeyedTokenHash(key, entitlement->token);
  if (auto holders = token_hash_holders.find(token_hash);
      holders != token_hash_holders.end() && --holders->second == 0) {
    token_hash_holders.erase(holders);
  }
  auto org_it = repos.find(entitlement->org);
  auto repo_it = org_it->second.find(entitlement->repo);
  RepoTokens& tokens = repo_it->second;
  tokens.by_identifier.erase(identifier);
  // Only when it is this token's: another may have been given the string since.
  if (auto by_hash = tokens.by_token_hash.find(token_hash);
      by_hash != tokens.by_token_hash.end() && by_hash->second->identifier == identifier) {
    tokens.by_token_hash.erase(by_hash);
  }
  if (tokens.by_identifier.empty()) {
    org_it->second.erase(repo_it);
    if (org_it->second.empty()) repos.erase(org_it);
  }
}

const EntitlementIndex::RepoTokens* EntitlementIndex::Tables::FindRepo(
    const std::string& org, const std::string& repo) const {
  auto org_it = repos.find(org);
  if (org_it == repos.end()) return nullptr;
  auto repo_it = org_it->second.find(repo);
  return repo_it == org_it->second.end() ? nullptr : &repo_it->second;
}

}  // namespace tollgate::storage
