// Who may do what (SPEC §1): repository privileges read < write < admin. Org owners and
// managers hold admin on every repository of their org.
#pragma once

#include <string>
#include <string_view>

#include "admin/api_request.h"
#include "admin/api_response.h"
#include "tollgate/policy/org_directory.h"

namespace tollgate::gateway::admin {

using Privilege = policy::Privilege;

// The privilege the caller of `request` holds on repository `org/repo`, as its org's
// directory grants it (policy::RepositoryPrivilege); kNone outside the caller's org.
Privilege RepositoryPrivilege(const ApiRequest& request, std::string_view org,
                              std::string_view repo);

// True when `caller` is an owner or manager of `org`.
bool ManagesOrg(const policy::Principal& caller, std::string_view org);

// 403 insufficient_privilege whose detail names what was needed, e.g. "write on acme/agents".
ApiResponse InsufficientPrivilege(std::string_view needed);

}  // namespace tollgate::gateway::admin
