// Who belongs to an org and what they may do (SPEC §1): members, services, teams, repository
// privileges and the plan quota. A plain value: stores keep one directory per org and replace
// it whole, so every change to an org's accounts is one atomic step on either store.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace tollgate::policy {

enum class OrgRole { kOwner, kManager, kMember };
// Ordered: a higher privilege includes every lower one.
enum class Privilege { kNone, kRead, kWrite, kAdmin };
enum class PrincipalKind { kUser, kService, kTeam };

// Spellings shared by the API and both stores: "owner"/"manager"/"member",
// "read"/"write"/"admin" ("none" for kNone), "user"/"service"/"team". Parsers take exactly
// these lowercase names and answer nullopt otherwise (ParsePrivilege never yields kNone).
std::string_view OrgRoleName(OrgRole role);
std::optional<OrgRole> ParseOrgRole(std::string_view name);
std::string_view PrivilegeName(Privilege privilege);
std::optional<Privilege> ParsePrivilege(std::string_view name);
std::string_view PrincipalKindName(PrincipalKind kind);
std::optional<PrincipalKind> ParsePrincipalKind(std::string_view name);

struct Member {
  std::string name;
  OrgRole role = OrgRole::kMember;
  std::string key_hash;  // HashApiKey of the user's API key; never the key
  absl::Time created_at;
};

struct Service {
  std::string slug;  // the service's user name
  std::string name;
  std::string description;
  OrgRole role = OrgRole::kMember;  // kMember or kManager
  std::string key_hash;
  absl::Time created_at;
};

// One member of a team: a user or a service (kind is never kTeam).
struct TeamMember {
  PrincipalKind kind = PrincipalKind::kUser;
  std::string name;
  bool operator==(const TeamMember&) const = default;
};

struct Team {
  std::string slug;
  std::string name;
  std::string description;
  std::vector<TeamMember> members;
  absl::Time created_at;
};

// One entry of a repository's privilege list (SPEC §3 `privileges`).
struct Grant {
  PrincipalKind kind = PrincipalKind::kUser;
  std::string name;
  Privilege privilege = Privilege::kRead;
  bool operator==(const Grant&) const = default;
};

struct OrgDirectory {
  std::string org;
  absl::Time created_at;
  std::optional<int64_t> max_active_entitlements;  // nullopt: unlimited
  std::vector<Member> members;
  std::vector<Service> services;
  std::vector<Team> teams;
  std::map<std::string, std::vector<Grant>> grants;  // repository slug → its privilege list
  // Set by the store: the version this copy was read at. A replacement is accepted only while
  // the stored directory is still at this revision (optimistic concurrency).
  uint64_t revision = 0;

  const Member* FindMember(std::string_view name) const;
  Member* FindMember(std::string_view name);
  const Service* FindService(std::string_view slug) const;
  Service* FindService(std::string_view slug);
  const Team* FindTeam(std::string_view slug) const;
  Team* FindTeam(std::string_view slug);
  // Slugs of the teams that list `kind`/`name`, in directory order.
  std::vector<std::string> TeamsOf(PrincipalKind kind, std::string_view name) const;
  // Drops `kind`/`name` from every team and every repository's privilege list.
  void ForgetPrincipal(PrincipalKind kind, std::string_view name);
};

// An authenticated account of one org: a user or a service, with its org role.
struct Principal {
  std::string org;
  PrincipalKind kind = PrincipalKind::kUser;
  std::string name;
  OrgRole role = OrgRole::kMember;
};

// True when `role` holds admin on every repository of its org.
inline bool ManagesOrg(OrgRole role) {
  return role == OrgRole::kOwner || role == OrgRole::kManager;
}

// What `kind`/`name` may do on repository `repo` of `directory`: admin for the org's owners and
// managers (services with role manager included), else the highest of its own grants and its
// teams' grants. kNone when the account is not in the directory (removed, or never there).
Privilege RepositoryPrivilege(const OrgDirectory& directory, PrincipalKind kind,
                              std::string_view name, std::string_view repo);

}  // namespace tollgate::policy
