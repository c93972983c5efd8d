// /api/v1/orgs/{org}/services/: non-person accounts for automation, their teams and keys.
#include "admin/accounts_json.h"
#include "admin/audit.h"
#include "admin/authorization.h"
#include "admin/directory_update.h"
#include "admin/json_fields.h"
#include "admin/orgs_api.h"
#include "admin/pagination.h"
#include "tollgate/base/concat.h"
#include "tollgate/policy/slug.h"
#include "tollgate/storage/secrets.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;
namespace json = boost::json;
using policy::OrgDirectory;
using policy::PrincipalKind;
using policy::Service;

namespace {

// Name, description, role and teams from `fields` (create and PATCH).
absl::Status ApplyServiceFields(const json::object& fields, const OrgDirectory& directory,
                                Service& service, std::optional<std::vector<std::string>>& teams) {
  if (absl::Status s = RejectOtherFields(fields, {"name", "description", "role", "teams"});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadBoundedString(fields, "name", 1, kMaxNameLength, service.name);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ReadBoundedString(fields, "description", 0, kMaxDescriptionLength, service.description);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadOrgRole(fields, "role", service.role); !s.ok()) return s;
  if (service.role == policy::OrgRole::kOwner) {
    return absl::InvalidArgumentError("role: a service is a member or a manager");
  }
  absl::StatusOr<std::optional<std::vector<std::string>>> slugs =
      TeamSlugsFromJson(fields, "teams", directory);
  if (!slugs.ok()) return slugs.status();
  teams = *std::move(slugs);
  return absl::OkStatus();
}

// Puts service `slug` in exactly the teams `slugs`.
void SetTeams(OrgDirectory& directory, const std::string& slug,
              const std::vector<std::string>& slugs) {
  const policy::TeamMember me{PrincipalKind::kService, slug};
  for (policy::Team& team : directory.teams) {
    std::erase(team.members, me);
    if (std::find(slugs.begin(), slugs.end(), team.slug) != slugs.end()) {
      team.members.push_back(me);
    }
  }
}

ApiResponse WithKey(http::status status, const OrgDirectory& directory, const std::string& slug,
                    const std::string& key) {
  json::object body = ServiceToJson(directory, *directory.FindService(slug));
  body["key"] = key;
  return Json(status, body);
}

ApiResponse CreateService(const AdminContext& context, const ApiRequest& request,
                          const std::string& org) {
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) return BadRequest(fields.status());
  if (!fields->contains("name")) return FromStatus(absl::InvalidArgumentError("name: is required"));
  const storage::NewApiKey key = storage::GenerateApiKey();
  Service service;
  absl::StatusOr<OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](OrgDirectory& directory) {
        service = Service{};
        std::optional<std::vector<std::string>> teams;
        if (absl::Status s = ApplyServiceFields(*fields, directory, service, teams); !s.ok()) {
          return s;
        }
        service.slug = policy::SlugFromName(service.name);
        if (service.slug.empty()) {
          return absl::InvalidArgumentError("name: must contain a letter or digit");
        }
        // Users and services share one namespace (see members_api.cc).
        if (directory.FindService(service.slug) != nullptr ||
            directory.FindMember(service.slug) != nullptr) {
          return absl::AlreadyExistsError(
              Concat("name: a service with slug ", service.slug, " exists"));
        }
        service.key_hash = key.hash;
        service.created_at = context.clock();
        directory.services.push_back(service);
        if (teams) SetTeams(directory, service.slug, *teams);
        return absl::OkStatus();
      });
  if (!stored.ok()) return FromStatus(stored.status());
  const Service& created = *stored->FindService(service.slug);
  RecordAudit(context, request, org, "service.create", Concat(org, "/", created.slug),
              json::object{{"after", ServiceToJson(*stored, created)}});
  return WithKey(http::status::created, *stored, created.slug, key.key);
}

ApiResponse UpdateService(const AdminContext& context, const ApiRequest& request,
                          const std::string& org, const std::string& slug) {
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) return BadRequest(fields.status());
  json::object before;
  absl::StatusOr<OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](OrgDirectory& directory) {
        Service* service = directory.FindService(slug);
        if (service == nullptr) return absl::NotFoundError("No such service.");
        before = ServiceToJson(directory, *service);
        std::optional<std::vector<std::string>> teams;
        if (absl::Status s = ApplyServiceFields(*fields, directory, *service, teams); !s.ok()) {
          return s;
        }
        if (teams) SetTeams(directory, slug, *teams);
        return absl::OkStatus();
      });
  if (!stored.ok()) return FromStatus(stored.status());
  json::object after = ServiceToJson(*stored, *stored->FindService(slug));
  RecordAudit(context, request, org, "service.update", Concat(org, "/", slug),
              ChangedFields(before, after));
  return Json(http::status::ok, after);
}

ApiResponse DeleteService(const AdminContext& context, const ApiRequest& request,
                          const std::string& org, const std::string& slug) {
  json::object before;
  absl::StatusOr<OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](OrgDirectory& directory) {
        const Service* service = directory.FindService(slug);
        if (service == nullptr) return absl::NotFoundError("No such service.");
        before = ServiceToJson(directory, *service);
        directory.ForgetPrincipal(PrincipalKind::kService, slug);
        std::erase_if(directory.services, [&](const Service& s) { return s.slug == slug; });
        return absl::OkStatus();
      });
  if (!stored.ok()) return FromStatus(stored.status());
  RecordAudit(context, request, org, "service.delete", Concat(org, "/", slug),
              json::object{{"before", std::move(before)}});
  return NoContent();
}

ApiResponse RefreshServiceKey(const AdminContext& context, const ApiRequest& request,
                              const std::string& org, const std::string& slug) {
  const storage::NewApiKey key = storage::GenerateApiKey();
  absl::StatusOr<OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](OrgDirectory& directory) {
        Service* service = directory.FindService(slug);
        if (service == nullptr) return absl::NotFoundError("No such service.");
        service->key_hash = key.hash;
        return absl::OkStatus();
      });
  if (!stored.ok()) return FromStatus(stored.status());
  RecordAudit(context, request, org, "service.refresh_key", Concat(org, "/", slug));
  return WithKey(http::status::ok, *stored, slug, key.key);
}

}  // namespace

ApiResponse HandleServices(const AdminContext& context, const ApiRequest& request) {
  const auto& segments = request.segments;  // "orgs", org, "services"[, slug[, "refresh"]]
  const std::string& org = segments[1];
  if (auto refused = CheckOrgAccess(request.caller, org, OrgAccess::kManager)) return *refused;
  const storage::DirectoryPtr directory = context.stores.accounts->Directory(org);
  if (directory == nullptr) return NotFound("org");
  if (segments.size() == 3) {
    if (request.method == "POST") return CreateService(context, request, org);
    if (request.method != "GET") return MethodNotAllowed("GET or POST");
    json::array items;
    for (const Service& service : directory->services) {
      items.push_back(ServiceToJson(*directory, service));
    }
    return Paginate(request, std::move(items), Concat("/api/v1/orgs/", org, "/services/"));
  }
  const std::string& slug = segments[3];
  if (segments.size() == 5 && segments[4] == "refresh") {
    if (request.method != "POST") return MethodNotAllowed("POST");
    return RefreshServiceKey(context, request, org, slug);
  }
  if (segments.size() != 4) return NotFound("endpoint");
  if (request.method == "GET") {
    const Service* service = directory->FindService(slug);
    return service ? Json(http::status::ok, ServiceToJson(*directory, *service))
                   : NotFound("service");
  }
  if (request.method == "PATCH") return UpdateService(context, request, org, slug);
  if (request.method == "DELETE") return DeleteService(context, request, org, slug);
  return MethodNotAllowed("GET, PATCH or DELETE");
}

}  // namespace tollgate::gateway::admin
