// Name spellings, lookups and privilege resolution of an org's directory.
#include "tollgate/policy/org_directory.h"

#include <algorithm>
#include <array>
#include <utility>

namespace tollgate::policy {
namespace {

template <typename Enum, size_t N>
using Spellings = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Spellings<OrgRole, 3> kRoleNames{{
    {OrgRole::kOwner, "owner"},
    {OrgRole::kManager, "manager"},
    {OrgRole::kMember, "member"},
}};
constexpr Spellings<Privilege, 4> kPrivilegeNames{{
    {Privilege::kNone, "none"},
    {Privilege::kRead, "read"},
    {Privilege::kWrite, "write"},
    {Privilege::kAdmin, "admin"},
}};
constexpr Spellings<PrincipalKind, 3> kKindNames{{
    {PrincipalKind::kUser, "user"},
    {PrincipalKind::kService, "service"},
    {PrincipalKind::kTeam, "team"},
}};

template <typename Enum, size_t N>
std::string_view NameOf(const Spellings<Enum, N>& spellings, Enum value) {
  for (const auto& [candidate, name] : spellings) {
    if (candidate == value) return name;
  }
  return spellings.front().second;
}

template <typename Enum, size_t N>
std::optional<Enum> ValueOf(const Spellings<Enum, N>& spellings, std::string_view name) {
  for (const auto& [value, spelled] : spellings) {
    if (spelled == name) return value;
  }
  return std::nullopt;
}

template <typename Range, typename Key>
auto FindBy(Range& range, Key key, std::string_view wanted) {
  auto it = std::find_if(range.begin(), range.end(),
                         [&](const auto& item) { return item.*key == wanted; });
  return it == range.end() ? nullptr : &*it;
}

}  // namespace

std::string_view OrgRoleName(OrgRole role) { return NameOf(kRoleNames, role); }
std::optional<OrgRole> ParseOrgRole(std::string_view name) { return ValueOf(kRoleNames, name); }
std::string_view PrivilegeName(Privilege privilege) { return NameOf(kPrivilegeNames, privilege); }
std::optional<Privilege> ParsePrivilege(std::string_view name) {
  std::optional<Privilege> parsed = ValueOf(kPrivilegeNames, name);
  if (parsed == Privilege::kNone) return std::nullopt;
  return parsed;
}
std::string_view PrincipalKindName(PrincipalKind kind) { return NameOf(kKindNames, kind); }
std::optional<PrincipalKind> ParsePrincipalKind(std::string_view name) {
  return ValueOf(kKindNames, name);
}

const Member* OrgDirectory::FindMember(std::string_view name) const {
  return FindBy(members, &Member::name, name);
}
Member* OrgDirectory::FindMember(std::string_view name) {
  return FindBy(members, &Member::name, name);
}
const Service* OrgDirectory::FindService(std::string_view slug) const {
  return FindBy(services, &Service::slug, slug);
}
Service* OrgDirectory::FindService(std::string_view slug) {
  return FindBy(services, &Service::slug, slug);
}
const Team* OrgDirectory::FindTeam(std::string_view slug) const {
  return FindBy(teams, &Team::slug, slug);
}
Team* OrgDirectory::FindTeam(std::string_view slug) { return FindBy(teams, &Team::slug, slug); }

std::vector<std::string> OrgDirectory::TeamsOf(PrincipalKind kind, std::string_view name) const {
  std::vector<std::string> slugs;
  const TeamMember wanted{kind, std::string(name)};
  for (const Team& team : teams) {
    if (std::find(team.members.begin(), team.members.end(), wanted) != team.members.end()) {
      slugs.push_back(team.slug);
    }
  }
  return slugs;
}

void OrgDirectory::ForgetPrincipal(PrincipalKind kind, std::string_view name) {
  for (Team& team : teams) {
    std::erase_if(team.members,
                  [&](const TeamMember& m) { return m.kind == kind && m.name == name; });
  }
  for (auto& [repo, list] : grants) {
    std::erase_if(list, [&](const Grant& g) { return g.kind == kind && g.name == name; });
  }
}

Privilege RepositoryPrivilege(const OrgDirectory& directory, PrincipalKind kind,
                              std::string_view name, std::string_view repo) {
  std::optional<OrgRole> role;
  if (kind == PrincipalKind::kUser) {
    if (const Member* member = directory.FindMember(name)) role = member->role;
  } else if (kind == PrincipalKind::kService) {
    if (const Service* service = directory.FindService(name)) role = service->role;
  }
  if (!role) return Privilege::kNone;
  if (ManagesOrg(*role)) return Privilege::kAdmin;

  const auto list = directory.grants.find(std::string(repo));
  if (list == directory.grants.end()) return Privilege::kNone;
  const std::vector<std::string> teams = directory.TeamsOf(kind, name);
  Privilege best = Privilege::kNone;
  for (const Grant& grant : list->second) {
    const bool applies = (grant.kind == kind && grant.name == name) ||
                         (grant.kind == PrincipalKind::kTeam &&
                          std::find(teams.begin(), teams.end(), grant.name) != teams.end());
    if (applies) best = std::max(best, grant.privilege);
  }
  return best;
}

}  // namespace tollgate::policy
