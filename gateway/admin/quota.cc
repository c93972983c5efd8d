// Counting tokens against the org quota.
#include "admin/quota.h"

#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {

bool CountsTowardsQuota(const policy::Entitlement& token) { return token.is_active && !token.user; }

int64_t CountActiveStandardTokens(const AdminContext& context, const std::string& org) {
  int64_t active = 0;
  for (const storage::Repository& repository : context.stores.repositories->List(org)) {
    active += context.stores.entitlements->CountActiveStandardTokens(org, repository.slug);
  }
  return active;
}

std::optional<ApiResponse> CheckQuota(const AdminContext& context, const std::string& org,
                                      int64_t added, int64_t removed) {
  const storage::DirectoryPtr directory = context.stores.accounts->Directory(org);
  if (directory == nullptr || !directory->max_active_entitlements || added <= removed) {
    return std::nullopt;
  }
  const int64_t limit = *directory->max_active_entitlements;
  const int64_t after = CountActiveStandardTokens(context, org) + added - removed;
  if (after <= limit) return std::nullopt;
  return Error(
      ApiError::kQuotaExceeded,
      Concat(org, " may have at most ", limit,
             " active entitlement tokens (max_active_entitlements); this would make ", after, "."));
}

}  // namespace tollgate::gateway::admin
