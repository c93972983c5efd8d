// /api/v1/orgs/{org}/: the org's quota, and routing to its members, teams and services.
#include "admin/orgs_api.h"

#include "admin/audit.h"
#include "admin/authorization.h"
#include "admin/directory_update.h"
#include "admin/json_fields.h"
#include "admin/quota.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

json::object OrgToJson(const AdminContext& context, const policy::OrgDirectory& directory) {
  json::value quota = nullptr;
  if (directory.max_active_entitlements) quota = *directory.max_active_entitlements;
  return json::object{{"name", directory.org},
                      {"max_active_entitlements", std::move(quota)},
                      {"active_entitlements", CountActiveStandardTokens(context, directory.org)},
                      {"created_at", FormatTimestamp(directory.created_at)}};
}

ApiResponse UpdateOrg(const AdminContext& context, const ApiRequest& request,
                      const std::string& org) {
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) return BadRequest(fields.status());
  if (absl::Status s = RejectOtherFields(*fields, {"max_active_entitlements"}); !s.ok()) {
    return FromStatus(s);
  }
  json::object before;
  absl::StatusOr<policy::OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](policy::OrgDirectory& directory) {
        before = OrgToJson(context, directory);
        return ReadNullableCount(*fields, "max_active_entitlements",
                                 directory.max_active_entitlements);
      });
  if (!stored.ok()) return FromStatus(stored.status());
  json::object after = OrgToJson(context, *stored);
  RecordAudit(context, request, org, "org.update", org, ChangedFields(before, after));
  return Json(http::status::ok, after);
}

}  // namespace

ApiResponse HandleOrgs(const AdminContext& context, const ApiRequest& request) {
  const auto& segments = request.segments;  // "orgs", org[, part, …]
  if (segments.size() < 2) return NotFound("endpoint");
  const std::string& org = segments[1];
  if (auto refused = CheckOrgAccess(request.caller, org, OrgAccess::kMember)) return *refused;
  if (segments.size() >= 3) {
    if (segments[2] == "members") return HandleMembers(context, request);
    if (segments[2] == "teams") return HandleTeams(context, request);
    if (segments[2] == "services") return HandleServices(context, request);
    return NotFound("endpoint");
  }
  const storage::DirectoryPtr directory = context.stores.accounts->Directory(org);
  if (directory == nullptr) return NotFound("org");
  if (request.method == "GET") return Json(http::status::ok, OrgToJson(context, *directory));
  if (request.method != "PATCH") return MethodNotAllowed("GET or PATCH");
  if (auto refused = CheckOrgAccess(request.caller, org, OrgAccess::kOwner)) return *refused;
  return UpdateOrg(context, request, org);
}

}  // namespace tollgate::gateway::admin
