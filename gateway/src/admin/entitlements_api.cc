// Entitlement token endpoints.
#include "admin/entitlements_api.h"

#include "admin/authorization.h"
#include "admin/entitlement_json.h"
#include "admin/json_fields.h"
#include "admin/pagination.h"
#include "tollgate/policy/concat.h"
#include "tollgate/policy/reset_period.h"
#include "tollgate/storage/secrets.h"

namespace tollgate::gateway::admin {
namespace asio = boost::asio;
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

using asio::awaitable;

// The JSON of a token with what only the ledger knows: `usage` of the current period and
// `scheduled_reset_at` (that period's end). Unavailable when the ledger cannot be read.
awaitable<absl::StatusOr<json::object>> Describe(const AdminContext& context,
                                                 const Entitlement& entitlement, bool show_token) {
  const policy::UsagePeriodRef period = policy::UsagePeriodOf(entitlement, context.clock());
  absl::StatusOr<storage::UsageSnapshot> usage =
      co_await context.stores.usage->Read(entitlement.identifier, period.key);
  if (!usage.ok()) co_return usage.status();
  co_return EntitlementToJson(entitlement, show_token, *usage, period.period.end);
}

awaitable<ApiResponse> Answer(const AdminContext& context, const Entitlement& entitlement,
                              http::status status, bool show_token) {
  absl::StatusOr<json::object> described = co_await Describe(context, entitlement, show_token);
  if (!described.ok()) co_return FromStatus(described.status());
  co_return Json(status, *described);
}

// Validates and stores `entitlement` with `write`, answering with it (token shown).
awaitable<ApiResponse> Store(const AdminContext& context, Entitlement& entitlement,
                             http::status success,
                             absl::Status (storage::EntitlementStore::*write)(const Entitlement&)) {
  if (absl::Status s = policy::ValidateEntitlement(entitlement); !s.ok()) co_return FromStatus(s);
  if (absl::Status s = (*context.stores.entitlements.*write)(entitlement); !s.ok()) {
    if (absl::IsAlreadyExists(s)) {
      co_return Error(http::status::conflict, "conflict",
                      "token: this token string is already used in this repository");
    }
    co_return FromStatus(s);
  }
  co_return co_await Answer(context, entitlement, success, /*show_token=*/true);
}

awaitable<ApiResponse> Create(const AdminContext& context, const ApiRequest& request, RepoRef ref) {
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) co_return BadRequest(fields.status());
  if (!fields->contains("name")) {
    co_return FromStatus(absl::InvalidArgumentError("name: is required"));
  }
  Entitlement entitlement;
  entitlement.org = ref.org;
  entitlement.repo = ref.repo;
  entitlement.identifier = storage::RandomSecret(kIdentifierLength);
  entitlement.token = storage::RandomSecret(kGeneratedTokenLength);
  if (absl::Status s = ApplyEntitlementFields(*fields, entitlement); !s.ok()) {
    co_return FromStatus(s);
  }
  entitlement.created_at = entitlement.updated_at = context.clock();
  co_return co_await Store(context, entitlement, http::status::created,
                           &storage::EntitlementStore::Create);
}

awaitable<ApiResponse> List(const AdminContext& context, const ApiRequest& request, RepoRef ref) {
  const bool show_tokens = request.Query("show_tokens") == "true";
  json::array items;
  for (const storage::EntitlementPtr& entitlement :
       context.stores.entitlements->List(ref.org, ref.repo)) {
    absl::StatusOr<json::object> described = co_await Describe(context, *entitlement, show_tokens);
    if (!described.ok()) co_return FromStatus(described.status());
    items.push_back(*std::move(described));
  }
  co_return Paginate(request, std::move(items),
                     Concat("/api/v1/entitlements/", ref.org, "/", ref.repo, "/"));
}

// GET …/{identifier}/usage/: the current period's counters and the recent events.
awaitable<ApiResponse> Usage(const AdminContext& context, const Entitlement& entitlement) {
  constexpr size_t kEventsShown = 100;
  const policy::UsagePeriodRef period = policy::UsagePeriodOf(entitlement, context.clock());
  absl::StatusOr<storage::UsageSnapshot> usage =
      co_await context.stores.usage->Read(entitlement.identifier, period.key);
  if (!usage.ok()) co_return FromStatus(usage.status());
  absl::StatusOr<std::vector<storage::UsageEvent>> events =
      co_await context.stores.usage->Events(entitlement.identifier, kEventsShown);
  if (!events.ok()) co_return FromStatus(events.status());
  co_return Json(http::status::ok, UsageToJson(*usage, *events));
}

// POST …/{identifier}/reset/: usage starts again from zero, and the reset periods from now.
awaitable<ApiResponse> Reset(const AdminContext& context, Entitlement entitlement) {
  entitlement.usage_reset_at = entitlement.updated_at = context.clock();
  if (absl::Status s = context.stores.entitlements->Update(entitlement); !s.ok()) {
    co_return FromStatus(s);
  }
  // The new anchor already starts a fresh period on every instance; forgetting the old
  // counters only frees their space, so a failure here changes no answer.
  co_await context.stores.usage->Forget(entitlement.identifier);
  co_return co_await Answer(context, entitlement, http::status::ok, /*show_token=*/false);
}

// …/{identifier}/{action}/ on an existing token.
awaitable<ApiResponse> Act(const AdminContext& context, const ApiRequest& request,
                           Entitlement entitlement, const std::string& action) {
  if (action == "usage") {
    if (request.method != "GET") co_return MethodNotAllowed("GET");
    co_return co_await Usage(context, entitlement);
  }
  if (request.method != "POST") co_return MethodNotAllowed("POST");
  if (action == "reset") co_return co_await Reset(context, std::move(entitlement));
  if (action == "enable" || action == "disable") {
    entitlement.is_active = action == "enable";
  } else if (action == "refresh") {
    absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
    if (!fields.ok()) co_return BadRequest(fields.status());
    std::string custom;
    if (absl::Status s = ReadString(*fields, "token", custom); !s.ok()) co_return FromStatus(s);
    entitlement.token = custom.empty() ? storage::RandomSecret(kGeneratedTokenLength) : custom;
  } else {
    co_return NotFound("endpoint");
  }
  entitlement.updated_at = context.clock();
  co_return co_await Store(context, entitlement, http::status::ok,
                           &storage::EntitlementStore::Update);
}

awaitable<ApiResponse> HandleOne(const AdminContext& context, const ApiRequest& request,
                                 RepoRef ref, const std::string& identifier) {
  const storage::EntitlementPtr stored =
      context.stores.entitlements->Get(ref.org, ref.repo, identifier);
  if (stored == nullptr) co_return NotFound("entitlement token");
  if (request.segments.size() == 5) {
    co_return co_await Act(context, request, *stored, request.segments[4]);
  }
  if (request.method == "GET") {
    co_return co_await Answer(context, *stored, http::status::ok,
                              request.Query("show_tokens") == "true");
  }
  if (request.method == "DELETE") {
    if (absl::Status s = context.stores.entitlements->Delete(ref.org, ref.repo, identifier);
        !s.ok()) {
      co_return FromStatus(s);
    }
    // The token is gone everywhere; its counters expire or are dropped now if Redis answers.
    co_await context.stores.usage->Forget(identifier);
    co_return NoContent();
  }
  if (request.method == "PATCH") {
    absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
    if (!fields.ok()) co_return BadRequest(fields.status());
    if (fields->contains("token")) {
      co_return FromStatus(absl::InvalidArgumentError("token: change it with POST …/refresh/"));
    }
    Entitlement entitlement = *stored;
    if (absl::Status s = ApplyEntitlementFields(*fields, entitlement); !s.ok()) {
      co_return FromStatus(s);
    }
    entitlement.updated_at = context.clock();
    co_return co_await Store(context, entitlement, http::status::ok,
                             &storage::EntitlementStore::Update);
  }
  co_return MethodNotAllowed("GET, PATCH or DELETE");
}

}  // namespace

awaitable<ApiResponse> HandleEntitlements(const AdminContext& context, const ApiRequest& request) {
  const auto& segments = request.segments;  // "entitlements", org, repo[, id[, action]]
  if (segments.size() < 3 || segments.size() > 5) co_return NotFound("endpoint");
  const RepoRef ref{segments[1], segments[2]};
  if (!context.stores.repositories->Get(ref.org, ref.repo)) co_return NotFound("repository");
  if (RepositoryPrivilege(request, ref.org, ref.repo) < Privilege::kWrite) {
    co_return InsufficientPrivilege(Concat("write on ", ref.org, "/", ref.repo));
  }
  if (segments.size() == 3) {
    if (request.method == "GET") co_return co_await List(context, request, ref);
    if (request.method == "POST") co_return co_await Create(context, request, ref);
    co_return MethodNotAllowed("GET or POST");
  }
  co_return co_await HandleOne(context, request, ref, segments[3]);
}

}  // namespace tollgate::gateway::admin
