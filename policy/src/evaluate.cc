// The per-request decision against one entitlement (SPEC §4.1, everything before the
// counted limits).
#include "tollgate/policy/evaluate.h"

#include "tollgate/policy/scope_query.h"

namespace tollgate::policy {
namespace {

// A scope admits the artifact when the token has no such query, or its compiled form
// matches. A query that is present but not compiled admits nothing.
bool Admits(const std::optional<std::string>& query, const ScopeQuery* scope,
            const formats::PackageIdentity* identity, std::string_view path) {
  if (!query) return true;
  return scope != nullptr && identity != nullptr && scope->Matches(*identity, path);
}

}  // namespace

bool InScope(const Entitlement& entitlement, const formats::PackageIdentity& identity,
             std::string_view path) {
  return Admits(entitlement.limit_package_query, entitlement.package_scope.get(), &identity,
                path) &&
         Admits(entitlement.limit_path_query, entitlement.path_scope.get(), &identity, path);
}

std::optional<Reason> Evaluate(const Entitlement& entitlement, const DownloadFacts& facts,
                               absl::Time now) {
  if (!entitlement.is_active) return Reason::kTokenDisabled;
  if (entitlement.limit_date_range_from && now < *entitlement.limit_date_range_from) {
    return Reason::kTokenNotYetValid;
  }
  if (entitlement.limit_date_range_to && now >= *entitlement.limit_date_range_to) {
    return Reason::kTokenExpired;
  }
  if (entitlement.user && !facts.user_has_read) return Reason::kAccessRevoked;
  if (!facts.found) return Reason::kNotFound;
  if (facts.is_index_file) return std::nullopt;
  if (!Admits(entitlement.limit_package_query, entitlement.package_scope.get(), facts.identity,
              facts.path)) {
    return Reason::kPackageNotAllowed;
  }
  if (!Admits(entitlement.limit_path_query, entitlement.path_scope.get(), facts.identity,
              facts.path)) {
    return Reason::kPathNotAllowed;
  }
  return std::nullopt;
}

}  // namespace tollgate::policy
