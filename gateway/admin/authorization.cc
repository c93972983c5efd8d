// Privilege resolution for admin callers: the org's directory decides (policy/org_directory.h).
#include "admin/authorization.h"

#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {

bool ManagesOrg(const policy::Principal& caller, std::string_view org) {
  return caller.org == org && policy::ManagesOrg(caller.role);
}

bool OwnsOrg(const policy::Principal& caller, std::string_view org) {
  return caller.org == org && caller.role == policy::OrgRole::kOwner;
}

Privilege RepositoryPrivilege(const AdminContext& context, const policy::Principal& caller,
                              std::string_view org, std::string_view repo) {
  if (caller.org != org) return Privilege::kNone;
  const storage::DirectoryPtr directory = context.stores.accounts->Directory(caller.org);
  if (directory == nullptr) return Privilege::kNone;
  const Privilege granted = policy::RepositoryPrivilege(*directory, caller.kind, caller.name, repo);
  // Anyone may download from a public repository, so every account of the org reads it.
  if (granted < Privilege::kRead) {
    const storage::RepositoryPtr repository =
        context.stores.repositories->Get(std::string(org), std::string(repo));
    if (repository && repository->type == storage::RepositoryType::kPublic) return Privilege::kRead;
  }
  return granted;
}

std::optional<ApiResponse> CheckOrgAccess(const policy::Principal& caller, std::string_view org,
                                          OrgAccess access) {
  if (caller.org != org) return NotFound("org");
  switch (access) {
    case OrgAccess::kMember:
      return std::nullopt;
    case OrgAccess::kManager:
      if (ManagesOrg(caller, org)) return std::nullopt;
      return InsufficientPrivilege(Concat("owner or manager of ", org));
    case OrgAccess::kOwner:
      if (OwnsOrg(caller, org)) return std::nullopt;
      return InsufficientPrivilege(Concat("owner of ", org));
  }
  return InsufficientPrivilege(Concat("owner of ", org));
}

std::optional<ApiResponse> CheckRepositoryAccess(const AdminContext& context,
                                                 const policy::Principal& caller,
                                                 std::string_view org, std::string_view repo,
                                                 Privilege needed) {
  if (caller.org != org || !context.stores.repositories->Get(std::string(org), std::string(repo))) {
    return NotFound("repository");
  }
  if (RepositoryPrivilege(context, caller, org, repo) >= needed) return std::nullopt;
  return InsufficientPrivilege(Concat(policy::PrivilegeName(needed), " on ", org, "/", repo));
}

ApiResponse InsufficientPrivilege(std::string_view needed) {
  return Error(ApiError::kInsufficientPrivilege, Concat("This needs ", needed, "."));
}

}  // namespace tollgate::gateway::admin
