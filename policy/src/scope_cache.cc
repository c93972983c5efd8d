// The shared compiled scopes: a weak map per query kind, swept as it fills.
#include "scope_cache.h"

#include <algorithm>
#include <utility>

#include "absl/strings/string_view.h"

namespace tollgate::policy {

ScopeCache& ScopeCache::Shared() {
  // Never destroyed: threads (the views', the change-log follower) may still compile while
  // the process exits.
  static ScopeCache* const cache = new ScopeCache;
  return *cache;
}

absl::StatusOr<std::shared_ptr<const ScopeQuery>> ScopeCache::Compile(std::string_view text,
                                                                      QueryKind kind) {
  // Compiled under the lock: a query parses in microseconds, and compiles come from loading
  // and admin writes, not downloads.
  std::lock_guard lock(mu_);
  Entries& entries = entries_[kind == QueryKind::kPackage ? 0 : 1];
  auto found = entries.by_text.find(absl::string_view(text.data(), text.size()));
  if (found != entries.by_text.end()) {
    if (std::shared_ptr<const ScopeQuery> shared = found->second.lock()) return shared;
  }
  absl::StatusOr<ScopeQuery> compiled = ScopeQuery::Compile(text, kind);
  if (!compiled.ok()) return compiled.status();
  auto scope = std::make_shared<const ScopeQuery>(*std::move(compiled));
  if (found != entries.by_text.end()) {
    found->second = scope;
    return scope;
  }
  entries.by_text.emplace(std::string(text), scope);
  if (entries.by_text.size() >= entries.sweep_at) {
    absl::erase_if(entries.by_text, [](const auto& entry) { return entry.second.expired(); });
    entries.sweep_at = std::max(kSweepFloor, 2 * entries.by_text.size());
  }
  return scope;
}

size_t ScopeCache::size() const {
  std::lock_guard lock(mu_);
  return entries_[0].by_text.size() + entries_[1].by_text.size();
}

}  // namespace tollgate::policy
