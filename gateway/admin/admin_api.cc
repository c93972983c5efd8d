// Target parsing, API-key authentication and routing of the admin listener.
#include "admin/admin_api.h"

#include "admin/audit_log_api.h"
#include "admin/console_assets.h"
#include "admin/entitlements_api.h"
#include "admin/orgs_api.h"
#include "admin/repositories_api.h"
#include "boost/url/parse.hpp"
#include "http/account_keys.h"
#include "http/authorization_header.h"
#include "http/brute_force.h"
#include "http/client_address.h"
#include "observe/metrics_exposition.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

json::object CallerToJson(const policy::Principal& caller) {
  return json::object{
      {"name", caller.name},
      {"kind", policy::PrincipalKindName(caller.kind)},
      {"orgs",
       json::array{json::object{{"org", caller.org}, {"role", policy::OrgRoleName(caller.role)}}}}};
}

ApiResponse Unauthorized(ApiError error, std::string_view detail) {
  ApiResponse response = Error(error, detail);
  response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"tollgate-admin\"");
  return response;
}

// 429 with Retry-After in whole seconds, rounded up.
ApiResponse TooManyFailedAttempts(absl::Duration left) {
  ApiResponse response = Error(ApiError::kTooManyFailedAttempts,
                               "Too many invalid credentials from this client; try again later.");
  response.headers.emplace_back("Retry-After", RetryAfterValue(left));
  return response;
}

std::string_view HeaderValue(const http::request_header<>& header, std::string_view name) {
  const auto it = header.find(name);
  return it == header.end() ? std::string_view{} : std::string_view(it->value());
}

}  // namespace

AdminApi::AdminApi(AdminContext context) : context_(std::move(context)) {}

ApiResponse AdminApi::Metrics() const {
  const storage::UsageDrops dropped = context_.stores.usage->Dropped();
  const metrics::ScrapeReadings readings{
      .auth_blocked_clients = static_cast<int64_t>(
          context_.auth_failures != nullptr ? context_.auth_failures->BlockedCount(context_.clock())
                                            : 0),
      .usage_events_dropped = dropped.usage_records + dropped.events};
  ApiResponse response;
  response.body = metrics::RenderExposition(readings);
  response.headers.emplace_back("Content-Type", metrics::kExpositionContentType);
  return response;
}

std::variant<policy::Principal, ApiResponse> AdminApi::Authenticate(
    const http::request_header<>& header) const {
  std::string username;
  std::string secret(HeaderValue(header, "X-Api-Key"));
  bool is_token_form = false;
  if (secret.empty()) {
    const std::string_view authorization = HeaderValue(header, "Authorization");
    if (authorization.empty()) {
      return Unauthorized(ApiError::kMissingApiKey,
                          "Send an API key in X-Api-Key or Authorization.");
    }
    absl::StatusOr<PresentedCredential> credential = ParseAuthorization(authorization);
    if (!credential.ok()) {
      return Error(ApiError::kBadRequest,
                   Concat("Authorization: ", ToStd(credential.status().message())));
    }
    username = std::move(credential->username);
    secret = std::move(credential->secret);
    // The token-only forms (`Token …`, a bare token, a Basic user without password) never
    // carry an API key.
    is_token_form = credential->kind == PresentedCredential::Kind::kToken;
  }
  if (std::optional<policy::Principal> account =
          is_token_form ? std::nullopt
                        : FindAccountByKey(*context_.stores.accounts, username, secret)) {
    return *std::move(account);
  }
  if (context_.stores.entitlements->ContainsToken(secret)) {
    return Unauthorized(ApiError::kEntitlementTokenNotAllowed,
                        "Entitlement tokens only download; use an API key here.");
  }
  return Unauthorized(ApiError::kInvalidApiKey, "The API key is not valid.");
}

PreparedRequest AdminApi::Prepare(const http::request_header<>& header,
                                  const boost::asio::ip::address& peer) const {
  PreparedRequest prepared;
  ApiRequest& request = prepared.request;
  request.method = std::string(header.method_string());
  request.client_address = peer.to_string();

  boost::system::result<boost::urls::url_view> target =
      boost::urls::parse_origin_form(header.target());
  if (!target) {
    prepared.answer = Error(ApiError::kBadRequest, "Malformed request target.");
    return prepared;
  }
  const std::string path = target->path();
  // The console needs no key to load; it is a client of the API like any other.
  if (IsConsolePath(path)) {
    prepared.answer = ServeConsole(request.method, path, HeaderValue(header, "If-None-Match"));
    return prepared;
  }
  if (path == "/metrics") {
    const bool reads = header.method() == http::verb::get || header.method() == http::verb::head;
    prepared.answer = reads ? Metrics() : MethodNotAllowed("GET, HEAD");
    return prepared;
  }
  if (path == "/healthz" || path == "/readyz") {
    const bool ready = path == "/healthz" || context_.stores.is_reachable();
    prepared.answer = Json(ready ? http::status::ok : http::status::service_unavailable,
                           json::object{{"status", ready ? "ok" : "unavailable"}});
    return prepared;
  }
  for (auto segment : target->segments()) request.segments.push_back(segment);
  for (auto segment : target->encoded_segments()) {
    request.raw_segments.emplace_back(segment.data(), segment.size());
  }
  // Endpoints end with '/', which shows up as a last empty segment.
  if (!request.segments.empty() && request.segments.back().empty()) {
    request.segments.pop_back();
    request.raw_segments.pop_back();
    request.trailing_slash = true;
  }
  if (request.segments.size() < 3 || request.segments[0] != "api" || request.segments[1] != "v1") {
    prepared.answer = NotFound("endpoint");
    return prepared;
  }
  request.segments.erase(request.segments.begin(), request.segments.begin() + 2);
  request.raw_segments.erase(request.raw_segments.begin(), request.raw_segments.begin() + 2);
  for (auto param : target->params()) request.query[param.key] = param.value;

  const bool carries_credentials = !HeaderValue(header, "X-Api-Key").empty() ||
                                   header.find(http::field::authorization) != header.end();
  if (carries_credentials) {
    std::string chain;
    prepared.client = RequestClientKey(header, peer, context_.client_header,
                                       context_.settings->trusted_proxies(), chain);
    const absl::Time now = context_.clock();
    if (std::optional<absl::Time> until =
            context_.auth_failures->BlockedUntil(prepared.client, now)) {
      prepared.answer = TooManyFailedAttempts(*until - now);
      return prepared;
    }
  }
  std::variant<policy::Principal, ApiResponse> caller = Authenticate(header);
  if (auto* refusal = std::get_if<ApiResponse>(&caller)) {
    // With credentials present, a 401 means they were wrong: an unknown key or a token.
    prepared.credential_rejected =
        carries_credentials && refusal->status == http::status::unauthorized;
    prepared.answer = std::move(*refusal);
    return prepared;
  }
  request.caller = std::get<policy::Principal>(std::move(caller));
  prepared.streams_body = IsPackageUpload(request);
  return prepared;
}

boost::asio::awaitable<void> AdminApi::CountRejectedCredential(PreparedRequest& prepared) const {
  if (!prepared.credential_rejected) co_return;
  const std::optional<absl::Duration> blocked = co_await CountCredentialFailure(
      *context_.auth_failures, prepared.client, context_.clock(), "admin");
  if (blocked) prepared.answer = TooManyFailedAttempts(*blocked);
}

ApiResponse AdminApi::DispatchLocal(const ApiRequest& request) const {
  const std::string& group = request.segments.front();
  if (group == "user" && request.segments.size() == 2 && request.segments[1] == "self") {
    return Json(http::status::ok, CallerToJson(request.caller));
  }
  if (group == "orgs") return HandleOrgs(context_, request);
  if (group == "audit-log") return HandleAuditLog(context_, request);
  return NotFound("endpoint");
}

boost::asio::awaitable<ApiResponse> AdminApi::Dispatch(const ApiRequest& request) const {
  // Only the token endpoints reach the (possibly remote) usage ledger.
  if (request.segments.front() == "entitlements") {
    co_return co_await HandleEntitlements(context_, request);
  }
  // Deleting a package of an origin repository asks the origin.
  if (request.segments.front() == "packages") co_return co_await HandlePackages(context_, request);
  // A new or changed origin is checked against --origin-allow, which looks its host up.
  if (request.segments.front() == "repos") co_return co_await HandleRepositories(context_, request);
  co_return DispatchLocal(request);
}

}  // namespace tollgate::gateway::admin
