// /api/v1/orgs/{org}/teams/: named sets of users and services that privileges can name.
#include "admin/accounts_json.h"
#include "admin/audit.h"
#include "admin/authorization.h"
#include "admin/directory_update.h"
#include "admin/json_fields.h"
#include "admin/orgs_api.h"
#include "admin/pagination.h"
#include "tollgate/base/concat.h"
#include "tollgate/policy/slug.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;
namespace json = boost::json;
using policy::OrgDirectory;
using policy::PrincipalKind;
using policy::Team;

namespace {

ApiResponse CreateTeam(const AdminContext& context, const ApiRequest& request,
                       const std::string& org) {
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) return BadRequest(fields.status());
  if (absl::Status s = RejectOtherFields(*fields, {"name", "slug", "description"}); !s.ok()) {
    return FromStatus(s);
  }
  if (!fields->contains("name")) return FromStatus(absl::InvalidArgumentError("name: is required"));
  Team team;
  for (absl::Status s :
       {ReadBoundedString(*fields, "name", 1, kMaxNameLength, team.name),
        ReadString(*fields, "slug", team.slug),
        ReadBoundedString(*fields, "description", 0, kMaxDescriptionLength, team.description)}) {
    if (!s.ok()) return FromStatus(s);
  }
  if (team.slug.empty()) team.slug = policy::SlugFromName(team.name);
  if (!policy::IsValidSlug(team.slug)) {
    return FromStatus(absl::InvalidArgumentError(
        "slug: must be 1 to 64 characters of letters, digits, '.', '_' or '-'"));
  }
  team.created_at = context.clock();
  absl::StatusOr<OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](OrgDirectory& directory) {
        if (directory.FindTeam(team.slug) != nullptr) {
          return absl::AlreadyExistsError(Concat("slug: team ", team.slug, " exists"));
        }
        directory.teams.push_back(team);
        return absl::OkStatus();
      });
  if (!stored.ok()) return FromStatus(stored.status());
  RecordAudit(context, request, org, "team.create", Concat(org, "/", team.slug),
              json::object{{"after", TeamToJson(team)}});
  return Json(http::status::created, TeamToJson(team));
}

ApiResponse DeleteTeam(const AdminContext& context, const ApiRequest& request,
                       const std::string& org, const std::string& slug) {
  json::object before;
  absl::StatusOr<OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](OrgDirectory& directory) {
        const Team* team = directory.FindTeam(slug);
        if (team == nullptr) return absl::NotFoundError("No such team.");
        before = TeamToJson(*team);
        // Its grants go too: a later team of the same name must not inherit them.
        directory.ForgetPrincipal(PrincipalKind::kTeam, slug);
        std::erase_if(directory.teams, [&](const Team& t) { return t.slug == slug; });
        return absl::OkStatus();
      });
  if (!stored.ok()) return FromStatus(stored.status());
  RecordAudit(context, request, org, "team.delete", Concat(org, "/", slug),
              json::object{{"before", std::move(before)}});
  return NoContent();
}

// The member `name` of a PUT/DELETE: of `kind` when the body says so, else the user of that
// name, else the service.
absl::StatusOr<policy::TeamMember> ResolveMember(const OrgDirectory& directory,
                                                 const std::string& name,
                                                 const json::object& fields) {
  std::string kind_name;
  if (absl::Status s = ReadString(fields, "kind", kind_name); !s.ok()) return s;
  std::optional<PrincipalKind> kind;
  if (!kind_name.empty()) {
    kind = policy::ParsePrincipalKind(kind_name);
    if (!kind || *kind == PrincipalKind::kTeam) {
      return absl::InvalidArgumentError("kind: must be user or service");
    }
  }
  const bool user = directory.FindMember(name) != nullptr;
  const bool service = directory.FindService(name) != nullptr;
  if ((kind == PrincipalKind::kUser && user) || (!kind && user)) {
    return policy::TeamMember{PrincipalKind::kUser, name};
  }
  if ((kind == PrincipalKind::kService || !kind) && service) {
    return policy::TeamMember{PrincipalKind::kService, name};
  }
  return absl::NotFoundError(Concat("No user or service ", name, " in ", directory.org, "."));
}

// PUT adds `name` to the team, DELETE takes it out; both answer with the team.
ApiResponse ChangeTeamMember(const AdminContext& context, const ApiRequest& request,
                             const std::string& org, const std::string& slug,
                             const std::string& name) {
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) return BadRequest(fields.status());
  const bool add = request.method == "PUT";
  absl::StatusOr<OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](OrgDirectory& directory) {
        absl::StatusOr<policy::TeamMember> member = ResolveMember(directory, name, *fields);
        if (!member.ok()) return member.status();
        Team* team = directory.FindTeam(slug);
        if (team == nullptr) return absl::NotFoundError("No such team.");
        const bool present =
            std::find(team->members.begin(), team->members.end(), *member) != team->members.end();
        if (add && !present) team->members.push_back(*member);
        if (!add && !present) return absl::NotFoundError(Concat(name, " is not in the team."));
        if (!add) std::erase(team->members, *member);
        return absl::OkStatus();
      });
  if (!stored.ok()) return FromStatus(stored.status());
  RecordAudit(context, request, org, add ? "team.add_member" : "team.remove_member",
              Concat(org, "/", slug), json::object{{"member", name}});
  if (!add) return NoContent();
  return Json(http::status::ok, TeamToJson(*stored->FindTeam(slug)));
}

}  // namespace

ApiResponse HandleTeams(const AdminContext& context, const ApiRequest& request) {
  // "orgs", org, "teams"[, team[, "members", name]]
  const auto& segments = request.segments;
  const std::string& org = segments[1];
  if (auto refused = CheckOrgAccess(request.caller, org, OrgAccess::kManager)) return *refused;
  const storage::DirectoryPtr directory = context.stores.accounts->Directory(org);
  if (directory == nullptr) return NotFound("org");
  if (segments.size() == 3) {
    if (request.method == "POST") return CreateTeam(context, request, org);
    if (request.method != "GET") return MethodNotAllowed("GET or POST");
    json::array items;
    for (const Team& team : directory->teams) items.push_back(TeamToJson(team));
    return Paginate(request, std::move(items), Concat("/api/v1/orgs/", org, "/teams/"));
  }
  const std::string& slug = segments[3];
  if (segments.size() == 6 && segments[4] == "members") {
    if (request.method != "PUT" && request.method != "DELETE") {
      return MethodNotAllowed("PUT or DELETE");
    }
    return ChangeTeamMember(context, request, org, slug, segments[5]);
  }
  if (segments.size() != 4) return NotFound("endpoint");
  if (request.method == "GET") {
    const Team* team = directory->FindTeam(slug);
    return team ? Json(http::status::ok, TeamToJson(*team)) : NotFound("team");
  }
  if (request.method == "DELETE") return DeleteTeam(context, request, org, slug);
  return MethodNotAllowed("GET or DELETE");
}

}  // namespace tollgate::gateway::admin
