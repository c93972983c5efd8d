// /api/v1/orgs/{org}/members/: users of the org, their roles and API keys.
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
using policy::Member;
using policy::OrgDirectory;
using policy::OrgRole;

namespace {

size_t CountOwners(const OrgDirectory& directory) {
  return std::count_if(directory.members.begin(), directory.members.end(),
                       [](const Member& m) { return m.role == OrgRole::kOwner; });
}

// Only owners make, change or remove owners; managers manage everyone else.
std::optional<ApiResponse> CheckTouchesOwner(const ApiRequest& request, const std::string& org,
                                             bool touches_owner) {
  if (!touches_owner) return std::nullopt;
  return CheckOrgAccess(request.caller, org, OrgAccess::kOwner);
}

absl::Status LastOwnerError(const std::string& org) {
  return absl::FailedPreconditionError(Concat(org, " must keep at least one owner"));
}

// Deletes the user tokens of a removed member, so that a later member of the same name never
// inherits them. They are already refused (the member holds nothing), so a store failure here
// leaves only dead tokens behind, which the next removal of that name sweeps again.
void DeleteUserTokens(const AdminContext& context, const std::string& org,
                      const std::string& name) {
  for (const storage::Repository& repository : context.stores.repositories->List(org)) {
    for (const storage::EntitlementPtr& token :
         context.stores.entitlements->List(org, repository.slug)) {
      if (token->user == name) {
        context.stores.entitlements->Delete(org, repository.slug, token->identifier).IgnoreError();
      }
    }
  }
}

// The answer that shows a member's new key: the only place it ever appears.
ApiResponse WithKey(http::status status, const Member& member, const std::string& key) {
  json::object body = MemberToJson(member);
  body["key"] = key;
  return Json(status, body);
}

ApiResponse AddMember(const AdminContext& context, const ApiRequest& request,
                      const std::string& org) {
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) return BadRequest(fields.status());
  if (absl::Status s = RejectOtherFields(*fields, {"name", "role"}); !s.ok()) return FromStatus(s);
  Member member;
  if (absl::Status s = ReadString(*fields, "name", member.name); !s.ok()) return FromStatus(s);
  if (!policy::IsValidSlug(member.name)) {
    return FromStatus(absl::InvalidArgumentError(
        "name: must be 1 to 64 characters of letters, digits, '.', '_' or '-', starting with a "
        "letter or digit"));
  }
  if (absl::Status s = ReadOrgRole(*fields, "role", member.role); !s.ok()) return FromStatus(s);
  if (auto refused = CheckTouchesOwner(request, org, member.role == OrgRole::kOwner)) {
    return *refused;
  }
  const storage::NewApiKey key = storage::GenerateApiKey();
  member.key_hash = key.hash;
  member.created_at = context.clock();
  absl::StatusOr<OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](OrgDirectory& directory) {
        // Basic credentials and upload records name accounts by name alone, so users and
        // services share one namespace.
        if (directory.FindMember(member.name) != nullptr ||
            directory.FindService(member.name) != nullptr) {
          return absl::AlreadyExistsError(Concat("name: ", member.name, " is already taken"));
        }
        directory.members.push_back(member);
        return absl::OkStatus();
      });
  if (!stored.ok()) return FromStatus(stored.status());
  RecordAudit(context, request, org, "member.add", Concat(org, "/", member.name),
              json::object{{"after", MemberToJson(member)}});
  return WithKey(http::status::created, member, key.key);
}

ApiResponse ChangeMember(const AdminContext& context, const ApiRequest& request,
                         const std::string& org, const std::string& name) {
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) return BadRequest(fields.status());
  if (absl::Status s = RejectOtherFields(*fields, {"role"}); !s.ok()) return FromStatus(s);
  OrgRole role = OrgRole::kMember;
  if (absl::Status s = ReadOrgRole(*fields, "role", role); !s.ok()) return FromStatus(s);
  if (!fields->contains("role")) return FromStatus(absl::InvalidArgumentError("role: is required"));
  json::object before;
  std::optional<ApiResponse> refused;
  absl::StatusOr<OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](OrgDirectory& directory) {
        Member* member = directory.FindMember(name);
        if (member == nullptr) return absl::NotFoundError("No such member.");
        refused = CheckTouchesOwner(request, org,
                                    member->role == OrgRole::kOwner || role == OrgRole::kOwner);
        if (refused) return absl::PermissionDeniedError("");
        if (member->role == OrgRole::kOwner && role != OrgRole::kOwner &&
            CountOwners(directory) == 1) {
          return LastOwnerError(org);
        }
        before = MemberToJson(*member);
        member->role = role;
        return absl::OkStatus();
      });
  if (refused) return *refused;
  if (!stored.ok()) return FromStatus(stored.status());
  const json::object after = MemberToJson(*stored->FindMember(name));
  RecordAudit(context, request, org, "member.update", Concat(org, "/", name),
              ChangedFields(before, after));
  return Json(http::status::ok, after);
}

ApiResponse RemoveMember(const AdminContext& context, const ApiRequest& request,
                         const std::string& org, const std::string& name) {
  std::optional<ApiResponse> refused;
  json::object before;
  absl::StatusOr<OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](OrgDirectory& directory) {
        const Member* member = directory.FindMember(name);
        if (member == nullptr) return absl::NotFoundError("No such member.");
        refused = CheckTouchesOwner(request, org, member->role == OrgRole::kOwner);
        if (refused) return absl::PermissionDeniedError("");
        if (member->role == OrgRole::kOwner && CountOwners(directory) == 1) {
          return LastOwnerError(org);
        }
        before = MemberToJson(*member);
        // Their key, team places and grants go with them: from the next request on, nothing
        // grants them anything, so their user tokens answer access_revoked everywhere.
        directory.ForgetPrincipal(policy::PrincipalKind::kUser, name);
        std::erase_if(directory.members, [&](const Member& m) { return m.name == name; });
        return absl::OkStatus();
      });
  if (refused) return *refused;
  if (!stored.ok()) return FromStatus(stored.status());
  DeleteUserTokens(context, org, name);
  RecordAudit(context, request, org, "member.remove", Concat(org, "/", name),
              json::object{{"before", std::move(before)}});
  return NoContent();
}

// A new key for `name`: the member themself, or the org's owners and managers.
ApiResponse RefreshMemberKey(const AdminContext& context, const ApiRequest& request,
                             const std::string& org, const std::string& name) {
  const bool self =
      request.caller.kind == policy::PrincipalKind::kUser && request.caller.name == name;
  std::optional<ApiResponse> refused;
  const storage::NewApiKey key = storage::GenerateApiKey();
  absl::StatusOr<OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](OrgDirectory& directory) {
        Member* member = directory.FindMember(name);
        if (member == nullptr) return absl::NotFoundError("No such member.");
        if (!self) {
          refused = CheckOrgAccess(request.caller, org, OrgAccess::kManager);
          if (!refused) {
            refused = CheckTouchesOwner(request, org, member->role == OrgRole::kOwner);
          }
          if (refused) return absl::PermissionDeniedError("");
        }
        member->key_hash = key.hash;
        return absl::OkStatus();
      });
  if (refused) return *refused;
  if (!stored.ok()) return FromStatus(stored.status());
  RecordAudit(context, request, org, "member.refresh_key", Concat(org, "/", name));
  return WithKey(http::status::ok, *stored->FindMember(name), key.key);
}

}  // namespace

ApiResponse HandleMembers(const AdminContext& context, const ApiRequest& request) {
  const auto& segments = request.segments;  // "orgs", org, "members"[, name[, "refresh"]]
  const std::string& org = segments[1];
  const storage::DirectoryPtr directory = context.stores.accounts->Directory(org);
  if (directory == nullptr) return NotFound("org");
  if (segments.size() == 5 && segments[4] == "refresh") {
    if (request.method != "POST") return MethodNotAllowed("POST");
    return RefreshMemberKey(context, request, org, segments[3]);
  }
  if (segments.size() == 3) {
    if (request.method == "GET") {
      json::array items;
      for (const Member& member : directory->members) items.push_back(MemberToJson(member));
      return Paginate(request, std::move(items), Concat("/api/v1/orgs/", org, "/members/"));
    }
    if (request.method != "POST") return MethodNotAllowed("GET or POST");
    if (auto refused = CheckOrgAccess(request.caller, org, OrgAccess::kManager)) return *refused;
    return AddMember(context, request, org);
  }
  if (segments.size() != 4) return NotFound("endpoint");
  const std::string& name = segments[3];
  if (request.method == "GET") {
    const Member* member = directory->FindMember(name);
    return member ? Json(http::status::ok, MemberToJson(*member)) : NotFound("member");
  }
  if (request.method != "PATCH" && request.method != "DELETE") {
    return MethodNotAllowed("GET, PATCH or DELETE");
  }
  if (auto refused = CheckOrgAccess(request.caller, org, OrgAccess::kManager)) return *refused;
  return request.method == "PATCH" ? ChangeMember(context, request, org, name)
                                   : RemoveMember(context, request, org, name);
}

}  // namespace tollgate::gateway::admin
