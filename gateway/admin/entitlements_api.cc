// Entitlement token endpoints.
#include "admin/entitlements_api.h"

#include "admin/audit.h"
#include "admin/authorization.h"
#include "admin/entitlement_json.h"
#include "admin/entitlement_update.h"
#include "admin/json_fields.h"
#include "admin/pagination.h"
#include "admin/quota.h"
#include "tollgate/base/concat.h"
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
  std::string period_key(period.key());
  absl::StatusOr<storage::UsageSnapshot> usage =
      co_await context.stores.usage->Read(entitlement.identifier, std::move(period_key));
  if (!usage.ok()) co_return usage.status();
  co_return EntitlementToJson(entitlement, show_token, *usage, period.period.end);
}

awaitable<ApiResponse> Answer(const AdminContext& context, const Entitlement& entitlement,
                              http::status status, bool show_token) {
  absl::StatusOr<json::object> described = co_await Describe(context, entitlement, show_token);
  if (!described.ok()) co_return FromStatus(described.status());
  co_return Json(status, *described);
}

// What the audit log shows of a token: every field but the secret and the usage.
json::object AuditedFields(const Entitlement& entitlement) {
  json::object fields = EntitlementToJson(entitlement, /*show_token=*/false, {}, std::nullopt);
  for (std::string_view dropped : {"usage", "scheduled_reset_at", "updated_at"}) {
    fields.erase(dropped);
  }
  return fields;
}

// The answer to a failed write: 409 when the token string is taken, else as FromStatus.
ApiResponse WriteFailed(const absl::Status& status) {
  if (absl::IsAlreadyExists(status)) {
    return Error(ApiError::kConflict,
                 "token: this token string is already used in this repository");
  }
  return FromStatus(status);
}

// Records `action` on the stored `entitlement` in the audit log (the fields that changed
// from `previous`, or all of a new token's when that is null) and answers with the token
// (string shown).
awaitable<ApiResponse> Stored(const AdminContext& context, const ApiRequest& request,
                              const Entitlement& entitlement, const Entitlement* previous,
                              std::string action, http::status success) {
  const json::object after = AuditedFields(entitlement);
  RecordAudit(
      context, request, entitlement.org, std::move(action),
      Concat(entitlement.org, "/", entitlement.repo, "/", entitlement.identifier),
      previous ? ChangedFields(AuditedFields(*previous), after) : json::object{{"after", after}});
  co_return co_await Answer(context, entitlement, success, /*show_token=*/true);
}

// Validates the new `entitlement`, checks the org quota, creates it and records `action`.
awaitable<ApiResponse> StoreNew(const AdminContext& context, const ApiRequest& request,
                                const Entitlement& entitlement, std::string action,
                                http::status success) {
  if (absl::Status s = policy::ValidateEntitlement(entitlement); !s.ok()) co_return FromStatus(s);
  if (CountsTowardsQuota(entitlement)) {
    if (auto refused = CheckQuota(context, entitlement.org, 1)) co_return *refused;
  }
  if (absl::Status s = context.stores.entitlements->Create(entitlement); !s.ok()) {
    co_return WriteFailed(s);
  }
  co_return co_await Stored(context, request, entitlement, nullptr, std::move(action), success);
}

// Applies `change` to the stored token (again to the current one when another writer got
// there first), validates the result, checks the org quota when the token starts counting
// against it, stores it and records `action`.
awaitable<ApiResponse> Modify(const AdminContext& context, const ApiRequest& request,
                              const Entitlement& stored, std::string action,
                              const EntitlementChange& change) {
  std::optional<ApiResponse> refused;
  const EntitlementChange checked = [&](Entitlement& entitlement) -> absl::Status {
    const bool counted = CountsTowardsQuota(entitlement);
    if (absl::Status s = change(entitlement); !s.ok()) return s;
    if (absl::Status s = policy::ValidateEntitlement(entitlement); !s.ok()) return s;
    if (CountsTowardsQuota(entitlement) && !counted) {
      refused = CheckQuota(context, entitlement.org, 1);
      // Stands for `refused`, which is answered instead.
      if (refused) return absl::FailedPreconditionError("over the quota");
    }
    return absl::OkStatus();
  };
  absl::StatusOr<UpdatedEntitlement> updated =
      UpdateEntitlement(*context.stores.entitlements, stored.org, stored.repo, stored.identifier,
                        context.clock(), checked);
  if (!updated.ok()) co_return refused ? *std::move(refused) : WriteFailed(updated.status());
  co_return co_await Stored(context, request, updated->after, &updated->before, std::move(action),
                            http::status::ok);
}

// A new token of `ref` with fresh identifier and token string.
Entitlement NewEntitlement(const AdminContext& context, RepoRef ref) {
  Entitlement entitlement;
  entitlement.org = ref.org;
  entitlement.repo = ref.repo;
  entitlement.identifier = storage::RandomSecret(kIdentifierLength);
  entitlement.token = storage::RandomSecret(kGeneratedTokenLength);
  entitlement.created_at = entitlement.updated_at = context.clock();
  return entitlement;
}

awaitable<ApiResponse> Create(const AdminContext& context, const ApiRequest& request, RepoRef ref) {
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) co_return BadRequest(fields.status());
  if (!fields->contains("name")) {
    co_return FromStatus(absl::InvalidArgumentError("name: is required"));
  }
  Entitlement entitlement = NewEntitlement(context, ref);
  if (absl::Status s = ApplyEntitlementFields(*fields, entitlement); !s.ok()) {
    co_return FromStatus(s);
  }
  co_return co_await StoreNew(context, request, entitlement, "entitlement.create",
                              http::status::created);
}

// User tokens are visible to their user and the repository's admins only (SPEC §4.4).
bool MaySee(const AdminContext& context, const ApiRequest& request, const Entitlement& token) {
  if (!token.user) return true;
  if (request.caller.kind == policy::PrincipalKind::kUser && request.caller.name == *token.user) {
    return true;
  }
  return RepositoryPrivilege(context, request.caller, token.org, token.repo) >= Privilege::kAdmin;
}

awaitable<ApiResponse> List(const AdminContext& context, const ApiRequest& request, RepoRef ref) {
  const bool show_tokens = request.Query("show_tokens") == "true";
  json::array items;
  for (const storage::EntitlementPtr& entitlement :
       context.stores.entitlements->List(ref.org, ref.repo)) {
    if (!MaySee(context, request, *entitlement)) continue;
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
  std::string period_key(period.key());
  absl::StatusOr<storage::UsageSnapshot> usage =
      co_await context.stores.usage->Read(entitlement.identifier, std::move(period_key));
  if (!usage.ok()) co_return FromStatus(usage.status());
  absl::StatusOr<std::vector<storage::UsageEvent>> events =
      co_await context.stores.usage->Events(entitlement.identifier, kEventsShown);
  if (!events.ok()) co_return FromStatus(events.status());
  co_return Json(http::status::ok, UsageToJson(*usage, *events));
}

// POST …/{identifier}/reset/: usage starts again from zero, and the reset periods from now.
awaitable<ApiResponse> Reset(const AdminContext& context, const ApiRequest& request,
                             const Entitlement& stored) {
  const absl::Time now = context.clock();
  const EntitlementChange restart = [now](Entitlement& entitlement) {
    entitlement.usage_reset_at = now;
    return absl::OkStatus();
  };
  absl::StatusOr<UpdatedEntitlement> updated = UpdateEntitlement(
      *context.stores.entitlements, stored.org, stored.repo, stored.identifier, now, restart);
  if (!updated.ok()) co_return FromStatus(updated.status());
  RecordAudit(context, request, stored.org, "entitlement.reset",
              Concat(stored.org, "/", stored.repo, "/", stored.identifier));
  // The new anchor already starts a fresh period on every instance; forgetting the old
  // counters only frees their space, so a failure here changes no answer.
  co_await context.stores.usage->Forget(stored.identifier);
  co_return co_await Answer(context, updated->after, http::status::ok, /*show_token=*/false);
}

// …/{identifier}/{action}/ on an existing token.
awaitable<ApiResponse> Act(const AdminContext& context, const ApiRequest& request,
                           const Entitlement& stored, const std::string& action) {
  if (action == "usage") {
    if (request.method != "GET") co_return MethodNotAllowed("GET");
    co_return co_await Usage(context, stored);
  }
  if (request.method != "POST") co_return MethodNotAllowed("POST");
  if (action == "reset") co_return co_await Reset(context, request, stored);
  EntitlementChange change;
  if (action == "enable" || action == "disable") {
    change = [active = action == "enable"](Entitlement& entitlement) {
      entitlement.is_active = active;
      return absl::OkStatus();
    };
  } else if (action == "refresh") {
    absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
    if (!fields.ok()) co_return BadRequest(fields.status());
    std::string custom;
    if (absl::Status s = ReadString(*fields, "token", custom); !s.ok()) co_return FromStatus(s);
    change = [token = custom.empty() ? storage::RandomSecret(kGeneratedTokenLength)
                                     : custom](Entitlement& entitlement) {
      entitlement.token = token;
      return absl::OkStatus();
    };
  } else {
    co_return NotFound("endpoint");
  }
  co_return co_await Modify(context, request, stored, Concat("entitlement.", action), change);
}

awaitable<ApiResponse> HandleOne(const AdminContext& context, const ApiRequest& request,
                                 RepoRef ref, const std::string& identifier) {
  const storage::EntitlementPtr stored =
      context.stores.entitlements->Get(ref.org, ref.repo, identifier);
  if (stored == nullptr || !MaySee(context, request, *stored)) {
    co_return NotFound("entitlement token");
  }
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
    RecordAudit(context, request, ref.org, "entitlement.delete",
                Concat(ref.org, "/", ref.repo, "/", identifier),
                json::object{{"before", AuditedFields(*stored)}});
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
    co_return co_await Modify(context, request, *stored, "entitlement.update",
                              [&fields](Entitlement& entitlement) {
                                return ApplyEntitlementFields(*fields, entitlement);
                              });
  }
  co_return MethodNotAllowed("GET, PATCH or DELETE");
}

// GET …/me/: the caller's own user token of the repository, made on the first call.
awaitable<ApiResponse> Me(const AdminContext& context, const ApiRequest& request, RepoRef ref) {
  if (request.method != "GET") co_return MethodNotAllowed("GET");
  if (request.caller.kind != policy::PrincipalKind::kUser) {
    co_return InsufficientPrivilege("a user account: services use standard tokens");
  }
  for (const storage::EntitlementPtr& token :
       context.stores.entitlements->List(ref.org, ref.repo)) {
    if (token->user == request.caller.name) {
      co_return co_await Answer(context, *token, http::status::ok, /*show_token=*/true);
    }
  }
  Entitlement entitlement = NewEntitlement(context, ref);
  entitlement.user = request.caller.name;
  entitlement.name = Concat("user:", request.caller.name);
  co_return co_await StoreNew(context, request, entitlement, "entitlement.create_user_token",
                              http::status::ok);
}

// POST …/sync/ {"source": repo}: this repository's standard tokens become copies of the
// source's (same strings, names, limits, metadata and state; usage from zero).
awaitable<ApiResponse> Sync(const AdminContext& context, const ApiRequest& request, RepoRef ref) {
  if (request.method != "POST") co_return MethodNotAllowed("POST");
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) co_return BadRequest(fields.status());
  if (absl::Status s = RejectOtherFields(*fields, {"source"}); !s.ok()) co_return FromStatus(s);
  std::string source;
  if (absl::Status s = ReadString(*fields, "source", source); !s.ok()) co_return FromStatus(s);
  if (source.empty()) co_return FromStatus(absl::InvalidArgumentError("source: is required"));
  if (source == ref.repo) {
    co_return FromStatus(absl::InvalidArgumentError("source: must be another repository"));
  }
  if (auto refused =
          CheckRepositoryAccess(context, request.caller, ref.org, source, Privilege::kWrite)) {
    co_return *refused;
  }
  auto standard = [&](const std::string& repo) {
    std::vector<storage::EntitlementPtr> tokens = context.stores.entitlements->List(ref.org, repo);
    std::erase_if(tokens, [](const storage::EntitlementPtr& t) { return t->user.has_value(); });
    return tokens;
  };
  const std::vector<storage::EntitlementPtr> copies = standard(source);
  const std::vector<storage::EntitlementPtr> replaced = standard(ref.repo);
  auto active = [](const std::vector<storage::EntitlementPtr>& tokens) {
    return std::count_if(tokens.begin(), tokens.end(),
                         [](const storage::EntitlementPtr& t) { return CountsTowardsQuota(*t); });
  };
  if (auto refused = CheckQuota(context, ref.org, active(copies), active(replaced))) {
    co_return *refused;
  }
  std::vector<Entitlement> tokens;
  tokens.reserve(copies.size());
  json::array items;
  for (const storage::EntitlementPtr& original : copies) {
    Entitlement& copy = tokens.emplace_back(*original);
    copy.repo = ref.repo;
    copy.identifier = storage::RandomSecret(kIdentifierLength);
    copy.created_at = copy.updated_at = context.clock();
    copy.usage_reset_at.reset();
    items.push_back(json::string(copy.identifier));
  }
  // All at once: a failure leaves the repository's tokens as they were, and concurrent
  // syncs never mix.
  if (absl::Status s =
          context.stores.entitlements->ReplaceStandardTokens(ref.org, ref.repo, tokens);
      !s.ok()) {
    co_return WriteFailed(s);
  }
  // The tokens are gone everywhere; their counters expire or are dropped now if Redis answers.
  for (const storage::EntitlementPtr& old : replaced) {
    co_await context.stores.usage->Forget(old->identifier);
  }
  RecordAudit(context, request, ref.org, "entitlement.sync", Concat(ref.org, "/", ref.repo),
              json::object{{"source", source},
                           {"replaced", static_cast<int64_t>(replaced.size())},
                           {"created", std::move(items)}});
  co_return co_await List(context, request, ref);
}

}  // namespace

awaitable<ApiResponse> HandleEntitlements(const AdminContext& context, const ApiRequest& request) {
  const auto& segments = request.segments;  // "entitlements", org, repo[, id[, action]]
  if (segments.size() < 3 || segments.size() > 5) co_return NotFound("endpoint");
  const RepoRef ref{segments[1], segments[2]};
  const bool me = segments.size() == 4 && segments[3] == "me";
  if (auto refused = CheckRepositoryAccess(context, request.caller, ref.org, ref.repo,
                                           me ? Privilege::kRead : Privilege::kWrite)) {
    co_return *refused;
  }
  if (me) co_return co_await Me(context, request, ref);
  if (segments.size() == 4 && segments[3] == "sync") co_return co_await Sync(context, request, ref);
  if (segments.size() == 3) {
    if (request.method == "GET") co_return co_await List(context, request, ref);
    if (request.method == "POST") co_return co_await Create(context, request, ref);
    co_return MethodNotAllowed("GET or POST");
  }
  co_return co_await HandleOne(context, request, ref, segments[3]);
}

}  // namespace tollgate::gateway::admin
