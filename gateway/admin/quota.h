// The org plan quota `max_active_entitlements` (SPEC §3): active standard tokens only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "admin/admin_context.h"
#include "admin/api_response.h"
#include "tollgate/policy/entitlement.h"

namespace tollgate::gateway::admin {

// Whether `token` counts towards the quota: active and not a user token.
bool CountsTowardsQuota(const policy::Entitlement& token);

// Active standard tokens in every repository of `org` (disabled and user tokens don't count),
// from this instance's copy of the stores.
int64_t CountActiveStandardTokens(const AdminContext& context, const std::string& org);

// nullopt when `org` stays within its quota after `added` more and `removed` fewer active
// standard tokens; else 409 quota_exceeded naming the quota.
std::optional<ApiResponse> CheckQuota(const AdminContext& context, const std::string& org,
                                      int64_t added, int64_t removed = 0);

}  // namespace tollgate::gateway::admin
