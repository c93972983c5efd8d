// The download decision for one entitlement: pure, no I/O, clock injected (SPEC §4.1).
#pragma once

#include <optional>
#include <string_view>

#include "absl/time/time.h"
#include "tollgate/formats/package_format.h"
#include "tollgate/policy/entitlement.h"
#include "tollgate/policy/reason.h"

namespace tollgate::policy {

// What the gateway learnt about the request before deciding.
struct DownloadFacts {
  std::string_view path;       // normalised, repository-relative
  bool found = true;           // the artifact exists
  bool is_index_file = false;  // index/metadata files are outside every scope
  // The artifact's identity; needed only when the token has a scope query and the file is
  // not an index file. Missing then, the request is refused (fail closed).
  const formats::PackageIdentity* identity = nullptr;
  bool user_has_read = true;  // user tokens: whether their user still holds `read`
};

// Whether the package at `path` with `identity` is inside both scopes of `entitlement` (a
// token without a query admits everything; a query that is present but not compiled admits
// nothing). What the views filter their listings with. Allocation-free.
bool InScope(const Entitlement& entitlement, const formats::PackageIdentity& identity,
             std::string_view path);

// Checks, in SPEC order: active, date window (`from` inclusive, `to` exclusive), the user
// of a user token still holding read, the artifact existing, package scope, path scope.
// Returns the first failing reason, or nullopt to allow. Allocation-free.
std::optional<Reason> Evaluate(const Entitlement& entitlement, const DownloadFacts& facts,
                               absl::Time now);

}  // namespace tollgate::policy
