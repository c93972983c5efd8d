// Sets of entitlements keyed by their identifier without a copy of it: the set holds pointers,
// hashes and compares the identifiers they point to, and is searched with an identifier or a
// pointer alike.
#pragma once

#include <cstddef>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "tollgate/storage/index/compact_entitlement.h"

namespace tollgate::storage {

namespace identifier_set_internal {

inline std::string_view IdentifierOf(std::string_view identifier) { return identifier; }
inline std::string_view IdentifierOf(const CompactEntitlement* entitlement) {
  return entitlement->identifier();
}
inline std::string_view IdentifierOf(const CompactEntitlementPtr& entitlement) {
  return entitlement->identifier();
}

struct Hash {
  using is_transparent = void;
  template <typename T>
  size_t operator()(const T& value) const {
    const std::string_view identifier = IdentifierOf(value);
    return absl::Hash<absl::string_view>{}(absl::string_view(identifier.data(), identifier.size()));
  }
};

struct Eq {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return IdentifierOf(a) == IdentifierOf(b);
  }
};

}  // namespace identifier_set_internal

// `Ptr` is CompactEntitlementPtr for a set that owns its tokens, const CompactEntitlement* for
// one that points into another's.
template <typename Ptr>
using IdentifierSet =
    absl::flat_hash_set<Ptr, identifier_set_internal::Hash, identifier_set_internal::Eq>;

}  // namespace tollgate::storage
