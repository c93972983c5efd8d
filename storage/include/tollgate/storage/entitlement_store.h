// Entitlement tokens. Lookups by token go through a keyed hash and read no disk.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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
  // Replaces the stored token with the same org/repo/identifier. NotFound, AlreadyExists
  // (new token string collides), InvalidArgument (scope query) or Unavailable.
  virtual absl::Status Update(const policy::Entitlement& entitlement) = 0;
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
};

}  // namespace tollgate::storage
