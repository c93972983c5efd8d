// Entitlement tokens as the admin API reads and writes them (SPEC §3, Cloudsmith's names).
#pragma once

#include "absl/status/status.h"
#include "boost/json/object.hpp"
#include "tollgate/policy/entitlement.h"
#include "tollgate/storage/usage_ledger.h"

namespace tollgate::gateway::admin {

// The token's JSON with its current `usage` and `scheduled_reset_at` (the current usage
// period's end, null when it never resets); the `token` string only when `show_token`.
boost::json::object EntitlementToJson(const policy::Entitlement& entitlement, bool show_token,
                                      const storage::UsageSnapshot& usage,
                                      const std::optional<absl::Time>& next_reset);

// The body of GET …/usage/: counters and the events, newest first.
boost::json::object UsageToJson(const storage::UsageSnapshot& usage,
                                const std::vector<storage::UsageEvent>& events);

// Applies every writable field present in `fields` to `entitlement` (create and PATCH).
// Read-only fields are ignored; unknown fields and wrong values give InvalidArgument
// naming the field. Does not validate the result as a whole (see ValidateEntitlement).
absl::Status ApplyEntitlementFields(const boost::json::object& fields,
                                    policy::Entitlement& entitlement);

}  // namespace tollgate::gateway::admin
