// The entitlement index: its tables kept consistent under one reader/writer lock.
#include "tollgate/storage/index/entitlement_index.h"

#include <algorithm>
#include <mutex>
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
  CompactEntitlementPtr found;
  {
    std::shared_lock lock(mu_);
    const RepoTokens* tokens = tables_.FindRepo(org, repo);
    if (tokens == nullptr) return nullptr;
    auto it = tokens->by_identifier.find(identifier);
    if (it == tokens->by_identifier.end()) return nullptr;
    found = *it;
  }
  // Expanded outside the lock: writers never wait for it.
  return CachedExpansion(found);
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
  CompactEntitlementPtr found;
  for (;;) {
    const TokenKey token_key = TokenKeyOf(*key, token);
    std::shared_lock lock(mu_);
    if (key_ != key) {
      key = key_;
      continue;
    }
    const RepoTokens* tokens = tables_.FindRepo(org, repo);
    if (tokens == nullptr) return nullptr;
    const CompactEntitlement* match = tokens->by_token.Find(token_key, token);
    if (match == nullptr) return nullptr;
    found = *tokens->by_identifier.find(match);
    break;
  }
  return CachedExpansion(found);
}

bool EntitlementIndex::ContainsToken(std::string_view token) const {
  std::shared_lock lock(mu_);
  // Unlike FindByToken this cannot compare the strings (the holders are not at hand), so a
  // 128-bit key collision would answer true: it only picks the admin API's error message.
  return tables_.token_key_holders.contains(TokenKeyOf(*key_, token));
}

bool EntitlementIndex::ContainsIdentifier(const std::string& identifier) const {
  std::shared_lock lock(mu_);
  return tables_.by_identifier.contains(identifier);
}

std::vector<EntitlementPtr> EntitlementIndex::List(const std::string& org,
                                                   const std::string& repo) const {
  std::vector<CompactEntitlementPtr> compact;
  {
    std::shared_lock lock(mu_);
    const RepoTokens* tokens = tables_.FindRepo(org, repo);
    if (tokens == nullptr) return {};
    compact.assign(tokens->by_identifier.begin(), tokens->by_identifier.end());
  }
  std::sort(compact.begin(), compact.end(),
            [](const CompactEntitlementPtr& a, const CompactEntitlementPtr& b) {
              return std::pair(a->created_at(), a->identifier()) <
                     std::pair(b->created_at(), b->identifier());
            });
  // Expanded one by one, not through the per-thread cache: a whole repository would only
  // push the tokens in use out of it.
  std::vector<EntitlementPtr> list;
  list.reserve(compact.size());
  for (const CompactEntitlementPtr& entitlement : compact) {
    list.push_back(std::make_shared<const policy::Entitlement>(entitlement->Expand()));
  }
  return list;
}

int64_t EntitlementIndex::CountActiveStandard(const std::string& org,
                                              const std::string& repo) const {
  std::shared_lock lock(mu_);
  const RepoTokens* tokens = tables_.FindRepo(org, repo);
  if (tokens == nullptr) return 0;
  return std::count_if(
      tokens->by_identifier.begin(), tokens->by_identifier.end(),
      [](const CompactEntitlementPtr& token) { return token->is_active() && !token->has_user(); });
}

void EntitlementIndex::Put(const policy::Entitlement& entitlement) {
  // Compacted before the lock is taken.
  auto compact = std::make_shared<const CompactEntitlement>(entitlement);
  std::lock_guard lock(mu_);
  tables_.Insert(*key_, std::move(compact));
}

void EntitlementIndex::Remove(const std::string& identifier) {
  std::lock_guard lock(mu_);
  tables_.Erase(*key_, identifier);
}

void EntitlementIndex::ReplaceRepository(const std::string& org, const std::string& repo,
                                         std::vector<CompactEntitlementPtr> entitlements) {
  std::lock_guard lock(mu_);
  tables_.EraseRepository(*key_, org, repo, /*keep_user_tokens=*/false);
  for (CompactEntitlementPtr& entitlement : entitlements) {
    tables_.Insert(*key_, std::move(entitlement));
  }
}

void EntitlementIndex::ReplaceStandardTokens(const std::string& org, const std::string& repo,
                                             std::vector<CompactEntitlementPtr> standard) {
  std::lock_guard lock(mu_);
  tables_.EraseRepository(*key_, org, repo, /*keep_user_tokens=*/true);
  for (CompactEntitlementPtr& entitlement : standard) tables_.Insert(*key_, std::move(entitlement));
}

void EntitlementIndex::Reset(std::string token_hash_key,
                             std::vector<CompactEntitlementPtr> entitlements) {
  // Built without the lock, which is then held only for the swap.
  Tables tables;
  for (CompactEntitlementPtr& entitlement : entitlements) {
    tables.Insert(token_hash_key, std::move(entitlement));
  }
  std::lock_guard lock(mu_);
  key_ = std::make_shared<const std::string>(std::move(token_hash_key));
  std::swap(tables_, tables);
}

void EntitlementIndex::Tables::EraseRepository(const std::string& key, const std::string& org,
                                               const std::string& repo, bool keep_user_tokens) {
  const RepoTokens* tokens = FindRepo(org, repo);
  if (tokens == nullptr) return;
  // Held here so each identifier outlives its own Erase.
  std::vector<CompactEntitlementPtr> leaving(tokens->by_identifier.begin(),
                                             tokens->by_identifier.end());
  if (keep_user_tokens) {
    std::erase_if(leaving, [](const CompactEntitlementPtr& token) { return token->has_user(); });
  }
  for (const CompactEntitlementPtr& entitlement : leaving) Erase(key, entitlement->identifier());
}

void EntitlementIndex::Tables::Insert(const std::string& key, CompactEntitlementPtr entitlement) {
  Erase(key, entitlement->identifier());
  const TokenKey token_key = TokenKeyOf(key, entitlement->token());
  ++token_key_holders[token_key];
  RepoTokens& tokens = repos[std::string(entitlement->org())][std::string(entitlement->repo())];
  tokens.by_token.Insert(token_key, entitlement.get());
  by_identifier.insert(entitlement.get());
  tokens.by_identifier.insert(std::move(entitlement));
}

void EntitlementIndex::Tables::Erase(const std::string& key, std::string_view identifier) {
  auto found = by_identifier.find(identifier);
  if (found == by_identifier.end()) return;
  const CompactEntitlement* entitlement = *found;
  by_identifier.erase(found);
  const TokenKey token_key = TokenKeyOf(key, entitlement->token());
  if (auto holders = token_key_holders.find(token_key);
      holders != token_key_holders.end() && --holders->second == 0) {
    token_key_holders.erase(holders);
  }
  auto org_it = repos.find(absl::string_view(entitlement->org().data(), entitlement->org().size()));
  auto repo_it = org_it->second.find(
      absl::string_view(entitlement->repo().data(), entitlement->repo().size()));
  RepoTokens& tokens = repo_it->second;
  tokens.by_token.Erase(token_key, entitlement);
  // Last: this may let the token go.
  tokens.by_identifier.erase(entitlement);
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
