// Compiled scope queries shared by the tokens that have the same query text: a vendor gives
// thousands of tokens one query, and each compiled copy costs a few hundred bytes.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "tollgate/policy/scope_query.h"

namespace tollgate::policy {

// Thread-safe. Holds only weak references: a scope goes when its last token does. The entries
// left behind are swept whenever the table has doubled since the last sweep, so it never holds
// more than twice the texts that were in use at that sweep (or kSweepFloor), and sweeping
// costs O(1) a compile, amortised.
class ScopeCache {
 public:
  static constexpr size_t kSweepFloor = 64;

  // The one CompileScopes uses.
  static ScopeCache& Shared();

  // `text` compiled as a `kind` query: the very object already given out for the same text
  // and kind while any holder keeps it, else a new one. Errors as ScopeQuery::Compile's, and
  // not remembered.
  absl::StatusOr<std::shared_ptr<const ScopeQuery>> Compile(std::string_view text, QueryKind kind);

  // Entries of both kinds, live or not yet swept.
  size_t size() const;

 private:
  struct Entries {
    absl::flat_hash_map<std::string, std::weak_ptr<const ScopeQuery>> by_text;
    size_t sweep_at = kSweepFloor;
  };

  mutable std::mutex mu_;
  // Package and path queries apart: a bare term means another field in each.
  std::array<Entries, 2> entries_;
};

}  // namespace tollgate::policy
