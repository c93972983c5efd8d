// A repository's tokens by truncated keyed hash, with the full string checked on every find.
#include "tollgate/storage/index/token_table.h"

#include <algorithm>

#include "tollgate/storage/secrets.h"

namespace tollgate::storage {

TokenKey TokenKeyOf(std::string_view hash_key, std::string_view token) {
  const TokenDigest digest = KeyedTokenDigest(hash_key, token);
  TokenKey key;
  std::copy_n(digest.begin(), key.size(), key.begin());
  return key;
}

void TokenTable::Insert(const TokenKey& key, const CompactEntitlement* entitlement) {
  by_key_.insert_or_assign(key, entitlement);
}

void TokenTable::Erase(const TokenKey& key, const CompactEntitlement* entitlement) {
  if (auto found = by_key_.find(key); found != by_key_.end() && found->second == entitlement) {
    by_key_.erase(found);
  }
}

const CompactEntitlement* TokenTable::Find(const TokenKey& key, std::string_view token) const {
  auto found = by_key_.find(key);
  if (found == by_key_.end()) return nullptr;
  // The key picked the token; comparing the strings too means neither a truncated-hash
  // collision nor any other can let a different token in.
  return ConstantTimeEquals(found->second->token(), token) ? found->second : nullptr;
}

}  // namespace tollgate::storage
