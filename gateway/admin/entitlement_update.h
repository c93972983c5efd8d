// Read-modify-write of one entitlement token with optimistic concurrency: concurrent admin
// requests (on this or another instance, or from a replica that is behind) never write back
// a token they read before another change, so a refreshed string or a disable sticks.
#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tollgate/policy/entitlement.h"
#include "tollgate/storage/entitlement_store.h"

namespace tollgate::gateway::admin {

// What a change does to a copy of the stored token. Returning an error abandons the change
// and UpdateEntitlement returns that error unchanged. May run more than once.
using EntitlementChange = std::function<absl::Status(policy::Entitlement&)>;

struct UpdatedEntitlement {
  policy::Entitlement before;  // the token the change replaced
  policy::Entitlement after;   // as stored
};

// Applies `change` to the current token org/repo/identifier, dates it `now` (moved past the
// token's last write: policy::NextUpdatedAt) and stores it, re-reading and re-applying when
// another writer got there first. NotFound when the token does not exist; the store's errors
// (AlreadyExists, InvalidArgument, Unavailable); Unavailable when the token kept changing.
absl::StatusOr<UpdatedEntitlement> UpdateEntitlement(storage::EntitlementStore& entitlements,
                                                     const std::string& org,
                                                     const std::string& repo,
                                                     const std::string& identifier, absl::Time now,
                                                     const EntitlementChange& change);

}  // namespace tollgate::gateway::admin
