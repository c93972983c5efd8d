// Privilege resolution. Explicit grants to users, teams and services come with accounts;
// until then the org's owners and managers are the only privileged callers.
#include "admin/authorization.h"

#include "tollgate/policy/concat.h"

namespace tollgate::gateway::admin {

bool ManagesOrg(const storage::Account& caller, std::string_view org) {
  return caller.org == org &&
         (caller.role == storage::OrgRole::kOwner || caller.role == storage::OrgRole::kManager);
}

Privilege RepositoryPrivilege(const storage::Account& caller, std::string_view org,
                              std::string_view /*repo*/) {
  return ManagesOrg(caller, org) ? Privilege::kAdmin : Privilege::kNone;
}

ApiResponse InsufficientPrivilege(std::string_view needed) {
  return Error(boost::beast::http::status::forbidden, "insufficient_privilege",
               Concat("This needs ", needed, "."));
}

}  // namespace tollgate::gateway::admin
