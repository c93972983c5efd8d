// Who may do what (SPEC §1): repository privileges read < write < admin, org roles, and the
// 403 that names what was missing.
#pragma once

#include <optional>
#include <string_view>

#include "admin/admin_context.h"
#include "admin/api_response.h"
#include "tollgate/policy/org_directory.h"

namespace tollgate::gateway::admin {

using policy::Privilege;

// The privilege `caller` holds on repository `org/repo`, from this instance's copy of the
// org's directory: at least read on a public repository; kNone for a caller of another org
// or one removed since it authenticated.
Privilege RepositoryPrivilege(const AdminContext& context, const policy::Principal& caller,
                              std::string_view org, std::string_view repo);

// True when `caller` is an owner or manager of `org`.
bool ManagesOrg(const policy::Principal& caller, std::string_view org);

// True when `caller` is an owner of `org`.
bool OwnsOrg(const policy::Principal& caller, std::string_view org);

// What an org-level endpoint asks of its caller.
enum class OrgAccess { kMember, kManager, kOwner };

// nullopt when `caller` may use an endpoint of `org` that needs `access`; else the answer:
// 404 for callers of another org (an org is not revealed to outsiders), 403 naming the role.
std::optional<ApiResponse> CheckOrgAccess(const policy::Principal& caller, std::string_view org,
                                          OrgAccess access);

// nullopt when repository `org/repo` exists and `caller` holds at least `needed` on it; else
// the answer: 404 when the repository does not exist or the caller is of another org, 403
// naming the privilege for a caller of the org that holds less.
std::optional<ApiResponse> CheckRepositoryAccess(const AdminContext& context,
                                                 const policy::Principal& caller,
                                                 std::string_view org, std::string_view repo,
                                                 Privilege needed);

// 403 insufficient_privilege whose detail names what was needed, e.g. "write on acme/agents".
ApiResponse InsufficientPrivilege(std::string_view needed);

}  // namespace tollgate::gateway::admin
