// The retry loop of entitlement token changes.
#include "admin/entitlement_update.h"

#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {

absl::StatusOr<UpdatedEntitlement> UpdateEntitlement(storage::EntitlementStore& entitlements,
                                                     const std::string& org,
                                                     const std::string& repo,
                                                     const std::string& identifier, absl::Time now,
                                                     const EntitlementChange& change) {
  // Admin writes to one token are rare; a handful of lost races in a row means something is
  // wrong.
  constexpr int kAttempts = 8;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    const storage::EntitlementPtr current = entitlements.Get(org, repo, identifier);
    if (current == nullptr) {
      return absl::NotFoundError(
          Concat("entitlement ", identifier, " does not exist in ", org, "/", repo));
    }
    UpdatedEntitlement updated{*current, *current};
    if (absl::Status s = change(updated.after); !s.ok()) return s;
    updated.after.updated_at = policy::NextUpdatedAt(current->updated_at, now);
    absl::Status stored = entitlements.Update(updated.after, current->updated_at);
    if (stored.ok()) return updated;
    if (!absl::IsAborted(stored)) return stored;
  }
  return absl::UnavailableError(
      Concat("entitlement ", identifier, " of ", org, "/", repo, " kept changing; try again"));
}

}  // namespace tollgate::gateway::admin
