// Privilege resolution: the rules are policy's; this picks the caller's directory.
#include "admin/authorization.h"

#include "tollgate/policy/concat.h"

namespace tollgate::gateway::admin {

bool ManagesOrg(const policy::Principal& caller, std::string_view org) {
  return caller.org == org && policy::ManagesOrg(caller.role);
}

Privilege RepositoryPrivilege(const ApiRequest& request, std::string_view org,
                              std::string_view repo) {
  if (request.caller.org != org || request.directory == nullptr) return Privilege::kNone;
  return policy::RepositoryPrivilege(*request.directory, request.caller.kind, request.caller.name,
                                     repo);
}

ApiResponse InsufficientPrivilege(std::string_view needed) {
  return Error(boost::beast::http::status::forbidden, "insufficient_privilege",
               Concat("This needs ", needed, "."));
}

}  // namespace tollgate::gateway::admin
