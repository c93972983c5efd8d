// JSON forms of the org directory's parts.
#include "admin/accounts_json.h"

#include <algorithm>

#include "admin/json_fields.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {
namespace json = boost::json;
using policy::PrincipalKind;

namespace {

bool Exists(const policy::OrgDirectory& directory, PrincipalKind kind, std::string_view name) {
  switch (kind) {
    case PrincipalKind::kUser:
      return directory.FindMember(name) != nullptr;
    case PrincipalKind::kService:
      return directory.FindService(name) != nullptr;
    case PrincipalKind::kTeam:
      return directory.FindTeam(name) != nullptr;
  }
  return false;
}

}  // namespace

json::object MemberToJson(const policy::Member& member) {
  return json::object{{"name", member.name},
                      {"kind", "user"},
                      {"role", policy::OrgRoleName(member.role)},
                      {"created_at", FormatTimestamp(member.created_at)}};
}

json::object ServiceToJson(const policy::OrgDirectory& directory, const policy::Service& service) {
  json::array teams;
  for (std::string& slug : directory.TeamsOf(PrincipalKind::kService, service.slug)) {
    teams.emplace_back(std::move(slug));
  }
  return json::object{{"slug", service.slug},
                      {"name", service.name},
                      {"description", service.description},
                      {"teams", std::move(teams)},
                      {"role", policy::OrgRoleName(service.role)},
                      {"created_at", FormatTimestamp(service.created_at)}};
}

json::object TeamToJson(const policy::Team& team) {
  json::array members;
  for (const policy::TeamMember& member : team.members) {
    members.push_back(
        json::object{{"kind", policy::PrincipalKindName(member.kind)}, {"name", member.name}});
  }
  return json::object{{"slug", team.slug},
                      {"name", team.name},
                      {"description", team.description},
                      {"members", std::move(members)},
                      {"created_at", FormatTimestamp(team.created_at)}};
}

json::array GrantsToJson(const std::vector<policy::Grant>& grants) {
  json::array list;
  for (const policy::Grant& grant : grants) {
    list.push_back(json::object{{"kind", policy::PrincipalKindName(grant.kind)},
                                {"name", grant.name},
                                {"privilege", policy::PrivilegeName(grant.privilege)}});
  }
  return list;
}

absl::StatusOr<std::vector<policy::Grant>> GrantsFromJson(const json::value& body,
                                                          const policy::OrgDirectory& directory) {
  const json::array* entries = body.if_array();
  if (entries == nullptr) {
    return absl::InvalidArgumentError(
        R"(privileges: must be an array of {"kind", "name", "privilege"})");
  }
  std::vector<policy::Grant> grants;
  for (size_t i = 0; i < entries->size(); ++i) {
    const std::string where = Concat("[", i, "]");
    const json::object* entry = (*entries)[i].if_object();
    if (entry == nullptr) return absl::InvalidArgumentError(Concat(where, ": must be an object"));
    std::string kind_name, name, privilege_name;
    for (auto [field, out] : {std::pair{"kind", &kind_name}, std::pair{"name", &name},
                              std::pair{"privilege", &privilege_name}}) {
      if (absl::Status s = ReadString(*entry, field, *out); !s.ok()) {
        return absl::InvalidArgumentError(Concat(where, ".", ToStd(s.message())));
      }
    }
    const std::optional<PrincipalKind> kind = policy::ParsePrincipalKind(kind_name);
    if (!kind) {
      return absl::InvalidArgumentError(Concat(where, ".kind: must be user, team or service"));
    }
    if (!Exists(directory, *kind, name)) {
      return absl::InvalidArgumentError(
          Concat(where, ".name: no ", kind_name, " \"", name, "\" in ", directory.org));
    }
    const std::optional<policy::Privilege> privilege = policy::ParsePrivilege(privilege_name);
    if (!privilege) {
      return absl::InvalidArgumentError(Concat(where, ".privilege: must be read, write or admin"));
    }
    policy::Grant grant{*kind, name, *privilege};
    // One entry per account: a repeated one keeps the higher privilege.
    auto same = std::find_if(grants.begin(), grants.end(), [&](const policy::Grant& g) {
      return g.kind == grant.kind && g.name == grant.name;
    });
    if (same == grants.end()) {
      grants.push_back(std::move(grant));
    } else {
      same->privilege = std::max(same->privilege, grant.privilege);
    }
  }
  return grants;
}

absl::Status ReadOrgRole(const json::object& fields, std::string_view field, policy::OrgRole& out) {
  if (!fields.contains(field)) return absl::OkStatus();
  std::string name;
  if (absl::Status s = ReadString(fields, field, name); !s.ok()) return s;
  const std::optional<policy::OrgRole> role = policy::ParseOrgRole(name);
  if (!role) return absl::InvalidArgumentError(Concat(field, ": must be owner, manager or member"));
  out = *role;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::vector<std::string>>> TeamSlugsFromJson(
    const json::object& fields, std::string_view field, const policy::OrgDirectory& directory) {
  const json::value* value = fields.if_contains(field);
  if (value == nullptr) return std::nullopt;
  const json::array* list = value->if_array();
  if (list == nullptr) {
    return absl::InvalidArgumentError(Concat(field, ": must be an array of team slugs"));
  }
  std::vector<std::string> slugs;
  for (const json::value& item : *list) {
    const json::string* slug = item.if_string();
    if (slug == nullptr) {
      return absl::InvalidArgumentError(Concat(field, ": must be an array of team slugs"));
    }
    if (directory.FindTeam(*slug) == nullptr) {
      return absl::InvalidArgumentError(
          Concat(field, ": no team \"", std::string_view(*slug), "\" in ", directory.org));
    }
    slugs.emplace_back(*slug);
  }
  return slugs;
}

}  // namespace tollgate::gateway::admin
