// Entitlement token endpoints.
#include "admin/entitlements_api.h"

#include "admin/authorization.h"
#include "admin/entitlement_json.h"
#include "admin/json_fields.h"
#include "admin/pagination.h"
#include "tollgate/policy/concat.h"
#include "tollgate/storage/secrets.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;
namespace json = boost::json;
using policy::Entitlement;

namespace {

// 32 base62 characters: about 190 bits, far beyond guessing.
constexpr size_t kGeneratedTokenLength = 32;
constexpr size_t kIdentifierLength = 16;

struct RepoRef {
  const std::string& org;
  const std::string& repo;
};

ApiResponse NotFound(std::string_view what) {
  return Error(http::status::not_found, "not_found", Concat("No such ", what, "."));
}

ApiResponse MethodNotAllowed(std::string_view allowed) {
  return Error(http::status::method_not_allowed, "method_not_allowed",
               Concat("Use ", allowed, " here."));
}

// Validates and stores `entitlement` with `write`, answering with it (token shown).
ApiResponse Store(const AdminContext& context, Entitlement& entitlement, http::status success,
                  absl::Status (storage::EntitlementStore::*write)(const Entitlement&)) {
  if (absl::Status s = policy::ValidateEntitlement(entitlement); !s.ok()) return FromStatus(s);
  if (absl::Status s = (*context.stores.entitlements.*write)(entitlement); !s.ok()) {
    if (absl::IsAlreadyExists(s)) {
      return Error(http::status::conflict, "conflict",
                   "token: this token string is already used in this repository");
    }
    return FromStatus(s);
  }
  return Json(success, EntitlementToJson(entitlement, /*show_token=*/true));
}

ApiResponse Create(const AdminContext& context, const ApiRequest& request, RepoRef ref) {
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok())
    return Error(http::status::bad_request, "bad_request", ToStd(fields.status().message()));
  if (!fields->contains("name")) return FromStatus(absl::InvalidArgumentError("name: is required"));
  Entitlement entitlement;
  entitlement.org = ref.org;
  entitlement.repo = ref.repo;
  entitlement.identifier = storage::RandomSecret(kIdentifierLength);
  entitlement.token = storage::RandomSecret(kGeneratedTokenLength);
  if (absl::Status s = ApplyEntitlementFields(*fields, entitlement); !s.ok()) return FromStatus(s);
  entitlement.created_at = entitlement.updated_at = context.clock();
  return Store(context, entitlement, http::status::created, &storage::EntitlementStore::Create);
}

ApiResponse List(const AdminContext& context, const ApiRequest& request, RepoRef ref) {
  const bool show_tokens = request.Query("show_tokens") == "true";
  json::array items;
  for (const storage::EntitlementPtr& entitlement :
       context.stores.entitlements->List(ref.org, ref.repo)) {
    items.push_back(EntitlementToJson(*entitlement, show_tokens));
  }
  return Paginate(request, std::move(items),
                  Concat("/api/v1/entitlements/", ref.org, "/", ref.repo, "/"));
}

// POST …/{identifier}/{action}/ on an existing token.
ApiResponse Act(const AdminContext& context, const ApiRequest& request, Entitlement entitlement,
                const std::string& action) {
  if (request.method != "POST") return MethodNotAllowed("POST");
  if (action == "enable" || action == "disable") {
    entitlement.is_active = action == "enable";
  } else if (action == "refresh") {
    absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
    if (!fields.ok())
      return Error(http::status::bad_request, "bad_request", ToStd(fields.status().message()));
    std::string custom;
    if (absl::Status s = ReadString(*fields, "token", custom); !s.ok()) return FromStatus(s);
    entitlement.token = custom.empty() ? storage::RandomSecret(kGeneratedTokenLength) : custom;
  } else {
    return NotFound("endpoint");
  }
  entitlement.updated_at = context.clock();
  return Store(context, entitlement, http::status::ok, &storage::EntitlementStore::Update);
}

ApiResponse HandleOne(const AdminContext& context, const ApiRequest& request, RepoRef ref,
                      const std::string& identifier) {
  const storage::EntitlementPtr stored =
      context.stores.entitlements->Get(ref.org, ref.repo, identifier);
  if (stored == nullptr) return NotFound("entitlement token");
  if (request.segments.size() == 5) return Act(context, request, *stored, request.segments[4]);

  if (request.method == "GET") {
    return Json(http::status::ok,
                EntitlementToJson(*stored, request.Query("show_tokens") == "true"));
  }
  if (request.method == "DELETE") {
    absl::Status s = context.stores.entitlements->Delete(ref.org, ref.repo, identifier);
    return s.ok() ? NoContent() : FromStatus(s);
  }
  if (request.method == "PATCH") {
    absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
    if (!fields.ok())
      return Error(http::status::bad_request, "bad_request", ToStd(fields.status().message()));
    if (fields->contains("token")) {
      return FromStatus(absl::InvalidArgumentError("token: change it with POST …/refresh/"));
    }
    Entitlement entitlement = *stored;
    if (absl::Status s = ApplyEntitlementFields(*fields, entitlement); !s.ok()) {
      return FromStatus(s);
    }
    entitlement.updated_at = context.clock();
    return Store(context, entitlement, http::status::ok, &storage::EntitlementStore::Update);
  }
  return MethodNotAllowed("GET, PATCH or DELETE");
}

}  // namespace

ApiResponse HandleEntitlements(const AdminContext& context, const ApiRequest& request) {
  const auto& segments = request.segments;  // "entitlements", org, repo[, id[, action]]
  if (segments.size() < 3 || segments.size() > 5) return NotFound("endpoint");
  const RepoRef ref{segments[1], segments[2]};
  if (!context.stores.repositories->Get(ref.org, ref.repo)) return NotFound("repository");
  if (RepositoryPrivilege(request.caller, ref.org, ref.repo) < Privilege::kWrite) {
    return InsufficientPrivilege(Concat("write on ", ref.org, "/", ref.repo));
  }
  if (segments.size() == 3) {
    if (request.method == "GET") return List(context, request, ref);
    if (request.method == "POST") return Create(context, request, ref);
    return MethodNotAllowed("GET or POST");
  }
  return HandleOne(context, request, ref, segments[3]);
}

}  // namespace tollgate::gateway::admin
