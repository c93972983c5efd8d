// The tokens of one repository by the keyed hash of their string, as the entitlement index
// keeps them: 16 binary bytes of the hash in place of its 64-character hex form.
#pragma once

#include <array>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "tollgate/storage/index/compact_entitlement.h"

namespace tollgate::storage {

// The first 16 bytes of KeyedTokenDigest. 128 bits of an HMAC: two of a store's token strings
// sharing one is not to be expected, and nobody without the key can search for such a pair.
// Should it happen all the same, TokenTable::Find still tells the strings apart. Only the
// index uses it; stores keep the full hex form of KeyedTokenHash.
using TokenKey = std::array<unsigned char, 16>;
TokenKey TokenKeyOf(std::string_view hash_key, std::string_view token);

// Not thread-safe: the index locks around it. Holds pointers to tokens that the index owns
// and erases here before it lets them go.
class TokenTable {
 public:
  // Makes `entitlement` the token of `key`. The last one added wins: while a replica catches
  // up, two tokens of a repository may briefly hold the same string.
  void Insert(const TokenKey& key, const CompactEntitlement* entitlement);
  // Forgets `entitlement` under `key`, only when it is still the token there: another may
  // have been given the string since.
  void Erase(const TokenKey& key, const CompactEntitlement* entitlement);
  // The token under `key` whose string is `token`, or nullptr. The strings are compared in
  // constant time, and a token under the same key with another string never matches.
  const CompactEntitlement* Find(const TokenKey& key, std::string_view token) const;

 private:
  absl::flat_hash_map<TokenKey, const CompactEntitlement*> by_key_;
};

}  // namespace tollgate::storage
