// Entitlement tokens as the admin API reads and writes them (SPEC §3, Cloudsmith's names).
#pragma once

#include "absl/status/status.h"
#include "boost/json/object.hpp"
#include "tollgate/policy/entitlement.h"

namespace tollgate::gateway::admin {

// The token's JSON; the `token` string is included only when `show_token` is set.
boost::json::object EntitlementToJson(const policy::Entitlement& entitlement, bool show_token);

// Applies every writable field present in `fields` to `entitlement` (create and PATCH).
// Read-only fields are ignored; unknown fields and wrong values give InvalidArgument
// naming the field. Does not validate the result as a whole (see ValidateEntitlement).
absl::Status ApplyEntitlementFields(const boost::json::object& fields,
                                    policy::Entitlement& entitlement);

}  // namespace tollgate::gateway::admin
