// The checks both entitlement stores make of a write before touching storage.
#include "tollgate/storage/index/entitlement_checks.h"

#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {

absl::Status CheckLaterUpdate(const policy::Entitlement& entitlement,
                              absl::Time expected_updated_at) {
  if (absl::ToUnixMicros(entitlement.updated_at) > absl::ToUnixMicros(expected_updated_at)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(Concat("updated_at: the update of entitlement ",
                                           entitlement.identifier,
                                           " must be later than the token it replaces"));
}

absl::Status CheckStandardTokens(const std::string& org, const std::string& repo,
                                 const std::vector<policy::Entitlement>& tokens) {
  absl::flat_hash_set<std::string_view> identifiers;
  // The strings are compared only with each other, all of them the caller's: no timing here
  // tells a secret to anyone else, so they need no constant-time comparison.
  absl::flat_hash_set<std::string_view> strings;
  for (const policy::Entitlement& token : tokens) {
    if (token.org != org || token.repo != repo || token.user) {
      return absl::InvalidArgumentError(
          Concat("entitlement ", token.identifier, " is not a standard token of ", org, "/", repo));
    }
    if (!identifiers.insert(token.identifier).second) {
      return absl::AlreadyExistsError(
          Concat("entitlement identifier ", token.identifier, " is given twice"));
    }
    if (!strings.insert(token.token).second) {
      return absl::AlreadyExistsError(
          Concat("two tokens would use one token string in ", org, "/", repo));
    }
  }
  return absl::OkStatus();
}

}  // namespace tollgate::storage
