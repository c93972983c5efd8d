// The in-memory index of entitlement tokens that a store answers reads from without I/O:
// by repository and identifier, and by keyed hash of the token string.
#pragma once

#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "tollgate/storage/entitlement_store.h"
#include "tollgate/storage/index/identifier_set.h"
#include "tollgate/storage/index/token_table.h"

namespace tollgate::storage {

// Thread-safe. Readers share a lock held only for the lookup itself; entries are immutable,
// so a reader keeps the token it got, whatever replaces it later. Tokens rest in their
// compact form (CompactEntitlement), and readers get them expanded. Identifiers are unique
// across repositories: adding a token replaces the one with its identifier, wherever it was.
class EntitlementIndex {
 public:
  // `token_hash_key` is the key of KeyedTokenHash for the token hashes.
  explicit EntitlementIndex(std::string token_hash_key);

  std::string token_hash_key() const;
  // KeyedTokenHash of `token` under the index's key.
  std::string HashToken(std::string_view token) const;

  // nullptr when absent.
  EntitlementPtr Get(const std::string& org, const std::string& repo,
                     const std::string& identifier) const;
  // The token of org/repo whose string is `token`, or nullptr. Compares in constant time.
  EntitlementPtr FindByToken(const std::string& org, const std::string& repo,
                             std::string_view token) const;
  // True when any repository has a token whose string is `token`.
  bool ContainsToken(std::string_view token) const;
  // True when any repository has a token with `identifier`.
  bool ContainsIdentifier(const std::string& identifier) const;
  // Every token of org/repo, ordered by created_at, then identifier. Expands each one: an
  // admin call, not for counting.
  std::vector<EntitlementPtr> List(const std::string& org, const std::string& repo) const;
  // How many of org/repo's tokens are active standard tokens (no user), without expanding.
  int64_t CountActiveStandard(const std::string& org, const std::string& repo) const;

  // Adds `entitlement`, replacing the token with its identifier.
  void Put(const policy::Entitlement& entitlement);
  // Removes the token with `identifier`, if there is one.
  void Remove(const std::string& identifier);
  // Makes `entitlements` (all of org/repo) the tokens of org/repo; empty forgets the
  // repository's tokens.
  void ReplaceRepository(const std::string& org, const std::string& repo,
                         std::vector<CompactEntitlementPtr> entitlements);
  // Makes `standard` the standard tokens (no user) of org/repo, keeping its user tokens.
  void ReplaceStandardTokens(const std::string& org, const std::string& repo,
                             std::vector<CompactEntitlementPtr> standard);
  // Replaces every token, and the key their hashes use.
  void Reset(std::string token_hash_key, std::vector<CompactEntitlementPtr> entitlements);

 private:
  // The index is sized for a million tokens, so no table copies a key string: each token is
  // owned once, by its repository's by_identifier; the other tables point into it and are
  // cleared of a token before it goes.
  struct RepoTokens {
    IdentifierSet<CompactEntitlementPtr> by_identifier;
    TokenTable by_token;
  };
  struct Tables {
    // org → repo → tokens.
    absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, RepoTokens>> repos;
    IdentifierSet<const CompactEntitlement*> by_identifier;
    // How many tokens hold each token key (multi-repository tokens share one string).
    absl::flat_hash_map<TokenKey, int> token_key_holders;

    void Insert(const std::string& key, CompactEntitlementPtr entitlement);
    // Erases org/repo's tokens, or only its standard ones.
    void EraseRepository(const std::string& key, const std::string& org, const std::string& repo,
                         bool keep_user_tokens);
    void Erase(const std::string& key, std::string_view identifier);
    const RepoTokens* FindRepo(const std::string& org, const std::string& repo) const;
  };

  // Guards key_ and tables_.
  mutable std::shared_mutex mu_;
  // Replaced whole by Reset, so a lookup can hash with a snapshot of it outside the lock.
  std::shared_ptr<const std::string> key_;
  Tables tables_;
};

}  // namespace tollgate::storage
