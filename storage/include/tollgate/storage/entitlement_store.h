// Entitlement tokens. Lookups by token go through a keyed hash and read no disk.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tollgate/policy/entitlement.h"

namespace tollgate::storage {

using EntitlementPtr = std::shared_ptr<const policy::Entitlement>;

class EntitlementStore {
 public:
  virtual ~EntitlementStore() = default;

  // Stores a new token; what readers get back carries its scope queries compiled.
  // AlreadyExists when the identifier, or the token string within the repository, is taken;
  // InvalidArgument when a scope query does not parse; Unavailable when it could not be made
  // durable.
  virtual absl::Status Create(const policy::Entitlement& entitlement) = 0;
  // Replaces the stored token with the same org/repo/identifier, provided it is still the one
  // the caller read: its updated_at is `expected_updated_at` (to the microsecond). The new
  // updated_at must be later (policy::NextUpdatedAt), so that no two writes share one.
  // Aborted, writing nothing, when the token changed since it was read: read it again and
  // redo the change. NotFound, AlreadyExists (new token string collides), InvalidArgument
  // (scope query, or updated_at not later) or Unavailable.
  virtual absl::Status Update(const policy::Entitlement& entitlement,
                              absl::Time expected_updated_at) = 0;
  // Makes `tokens` the standard tokens (no user) of org/repo, all or nothing: the current
  // standard tokens go, the user tokens stay, and readers see either the old set or the new
  // one. NotFound when the repository does not exist; InvalidArgument when a token is not a
  // standard token of org/repo or a scope query does not parse; AlreadyExists when an
  // identifier is taken or a token string would be used twice in the repository;
  // Unavailable when it could not be made durable.
  virtual absl::Status ReplaceStandardTokens(const std::string& org, const std::string& repo,
                                             const std::vector<policy::Entitlement>& tokens) = 0;
  // NotFound when absent.
  virtual absl::Status Delete(const std::string& org, const std::string& repo,
                              const std::string& identifier) = 0;
  // nullptr when absent.
  virtual EntitlementPtr Get(const std::string& org, const std::string& repo,
                             const std::string& identifier) const = 0;
  // The token of `org/repo` whose string is `token`, or nullptr. Compares in constant time.
  virtual EntitlementPtr FindByToken(const std::string& org, const std::string& repo,
                                     std::string_view token) const = 0;
  // True when any repository has a token whose string is `token`: lets the admin API tell
  // an entitlement token presented as an API key from a wrong key.
  virtual bool ContainsToken(std::string_view token) const = 0;
  // Every token of `org/repo`, oldest first.
  virtual std::vector<EntitlementPtr> List(const std::string& org,
                                           const std::string& repo) const = 0;
  // How many of `org/repo`'s tokens are active standard tokens (no user): what the org quota
  // counts. Cheaper than List.
  virtual int64_t CountActiveStandardTokens(const std::string& org,
                                            const std::string& repo) const = 0;
};

}  // namespace tollgate::storage
