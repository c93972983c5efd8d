// Download decisions, in SPEC order: the first failing check decides the answer.
#include "download_handler.h"

#include "account_keys.h"
#include "authorization_header.h"
#include "conditional_request.h"
#include "content_type.h"
#include "denial_response.h"
#include "http_range.h"
#include "origin_download.h"
#include "route.h"
#include "tollgate/base/concat.h"
#include "tollgate/policy/evaluate.h"
#include "tollgate/policy/package_identity.h"
#include "tollgate/policy/reset_period.h"
#include "tollgate/storage/http_origin_config.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

namespace {

template <typename Name>
std::string_view HeaderValue(const http::request_header<>& request, Name name) {
  const auto it = request.find(name);
  return it == request.end() ? std::string_view{} : std::string_view(it->value());
}

}  // namespace

DownloadHandler::DownloadHandler(storage::Stores stores,
                                 std::shared_ptr<const storage::ArtifactSource> files,
                                 std::shared_ptr<storage::HttpOriginClient> origins,
                                 DownloadOptions options)
    : stores_(std::move(stores)),
      files_(std::move(files)),
      origins_(std::move(origins)),
      options_(std::move(options)) {}

DownloadResponse DownloadHandler::Deny(Reason reason, std::string_view realm) {
  SmallResponse denial = MakeDenialResponse(reason, realm);
  DownloadResponse response;
  response.head = std::move(denial.head);
  response.body = std::move(denial.body);
  response.denial = reason;
  return response;
}

void DownloadHandler::Refuse(DownloadResponse& response, Reason reason, std::string_view detail) {
  SmallResponse refusal = MakeDenialResponse(reason, "tollgate", detail);
  response.head = std::move(refusal.head);
  response.body = std::move(refusal.body);
  response.file.reset();
  response.origin.reset();
  response.origin_body.reset();
  response.denial = reason;
  response.usage.reset();
}

void DownloadHandler::ApplyReservation(DownloadResponse& response,
                                       const absl::StatusOr<storage::ReservationResult>& reserved) {
  if (!reserved.ok()) return Refuse(response, Reason::kStoreUnavailable);
  switch (*reserved) {
    case storage::ReservationResult::kGranted:
      return;
    case storage::ReservationResult::kDownloadLimitReached:
      return Refuse(response, Reason::kDownloadLimitReached);
    case storage::ReservationResult::kClientLimitReached:
      return Refuse(response, Reason::kClientLimitReached);
    case storage::ReservationResult::kBandwidthLimitReached:
      return Refuse(response, Reason::kBandwidthLimitReached);
  }
}

DownloadResponse DownloadHandler::Handle(const http::request_header<>& request,
                                         const boost::asio::ip::address& peer) const {
  constexpr std::string_view kDefaultRealm = "tollgate";
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    return Deny(Reason::kMethodNotAllowed, kDefaultRealm);
  }
  absl::StatusOr<DownloadRoute> route = RouteDownloadTarget(request.target());
  if (!route.ok()) return Deny(Reason::kBadRequest, kDefaultRealm);

  const std::string realm =
      options_.contextual_realm ? Concat(route->org, "/", route->repo) : "tollgate";
  const std::optional<storage::Repository> repository =
      stores_.repositories->Get(route->org, route->repo);
  const bool is_public = repository && repository->type == storage::RepositoryType::kPublic;

  // Authenticate before anything reveals whether the artifact exists.
  std::optional<std::string> secret;
  std::string username;  // Basic only: may name the account whose API key is the secret
  switch (route->source) {
    case CredentialSource::kPathToken:
      secret = route->token;
      break;
    case CredentialSource::kBasic: {
      const auto header = request.find(http::field::authorization);
      if (header == request.end()) {
        if (!is_public) return Deny(Reason::kMissingCredentials, realm);
        break;
      }
      absl::StatusOr<PresentedCredential> credential = ParseAuthorization(header->value());
      if (!credential.ok()) return Deny(Reason::kBadRequest, realm);
      secret = std::move(credential->secret);
      username = std::move(credential->username);
      break;
    }
    case CredentialSource::kPublic:
      if (!is_public) return Deny(Reason::kMissingCredentials, realm);
      break;
  }

  storage::EntitlementPtr entitlement;
  std::optional<policy::Principal> account;
  if (secret) {
    if (repository) {
      entitlement = stores_.entitlements->FindByToken(route->org, route->repo, *secret);
      // An API key never travels in the URL: only the header routes may carry one.
      if (entitlement == nullptr && route->source == CredentialSource::kBasic) {
        account = FindAccount(route->org, username, *secret);
      }
    }
    if (entitlement == nullptr && !account) return Deny(Reason::kInvalidCredentials, realm);
    // Store outage (SPEC §4.5): tokens with counted limits fail closed at once; the others
    // keep working from this instance's copy of the store for the stale grace.
    const bool store_usable = entitlement != nullptr && entitlement->HasCountedLimits()
                                  ? stores_.is_reachable()
                                  : stores_.staleness() <= options_.stale_grace;
    if (!store_usable) {
      DownloadResponse response = Deny(Reason::kStoreUnavailable, realm);
      if (entitlement != nullptr) response.token_identifier = entitlement->identifier;
      return response;
    }
    // Anyone may read a public repository, so an account needs no grant there.
    if (account && !is_public && !HasRead(*account, route->repo)) {
      DownloadResponse response = Deny(Reason::kInsufficientPrivilege, realm);
      response.account = AccountLabel(*account);
      return response;
    }
  }

  std::string path = route->artifact.path;
  if (route->artifact.is_folder) path = path.empty() ? "index.html" : path + "/index.html";
  // An origin's artifacts count as found: scopes are checked on the path alone, before the
  // origin is contacted, and a missing artifact is the origin's 404 afterwards.
  const bool at_origin = repository && storage::IsHttpStorage(repository->storage_json);
  absl::StatusOr<storage::ArtifactFile> file = at_origin
                                                   ? absl::UnimplementedError("at the origin")
                                                   : files_->Open(route->org, route->repo, path);
  const bool found = at_origin || file.ok();
  const absl::Time now = options_.clock();
  std::optional<Reason> refused;
  if (entitlement != nullptr) {
    refused = Decide(*entitlement, path, found, is_public, now);
  } else if (!found) {
    refused = Reason::kNotFound;
  }
  DownloadResponse response = refused     ? Deny(*refused, realm)
                              : at_origin ? PrepareOriginDownload(request, *repository, path)
                                          : Serve(request, *std::move(file), path);
  if (account) response.account = AccountLabel(*account);
  if (entitlement != nullptr) {
    response.token_identifier = entitlement->identifier;
    response.client = ClientKey(peer, HeaderValue(request, "X-Forwarded-For"),
                                HeaderValue(request, "Forwarded"), options_.trusted_proxies);
    response.path = path;
    if (!refused && request.method() == http::verb::get) {
      response.usage = UsageOf(*entitlement, response, path, response.client, now);
      response.enforce_limits = entitlement->HasCountedLimits();
    }
  }
  return response;
}

std::optional<policy::Principal> DownloadHandler::FindAccount(const std::string& org,
                                                              std::string_view username,
                                                              std::string_view secret) const {
  // Any user name goes with a token ("token:…"), but with an API key it must be the key's own.
  std::optional<policy::Principal> account = FindAccountByKey(*stores_.accounts, username, secret);
  if (!account || account->org != org) return std::nullopt;
  return account;
}

bool DownloadHandler::HasRead(const policy::Principal& account, std::string_view repo) const {
  const storage::DirectoryPtr directory = stores_.accounts->Directory(account.org);
  return directory != nullptr && policy::RepositoryPrivilege(*directory, account.kind, account.name,
                                                             repo) >= policy::Privilege::kRead;
}

std::string DownloadHandler::AccountLabel(const policy::Principal& account) {
  return Concat(policy::PrincipalKindName(account.kind), ":", account.name);
}

std::optional<storage::Reservation> DownloadHandler::UsageOf(const policy::Entitlement& entitlement,
                                                             const DownloadResponse& response,
                                                             std::string_view path,
                                                             std::string client,
                                                             absl::Time now) const {
  const http::status status = response.head.result();
  // Only package files answered with bytes count: never HEAD, 304, denials or index files.
  if ((status != http::status::ok && status != http::status::partial_content) ||
      policy::IsIndexFile(path)) {
    return std::nullopt;
  }
  policy::UsagePeriodRef period = policy::UsagePeriodOf(entitlement, now);
  storage::Reservation reservation;
  reservation.token = entitlement.identifier;
  reservation.period = std::move(period.key);
  reservation.period_end = period.period.end;
  reservation.client = std::move(client);
  reservation.path = std::string(path);
  reservation.bytes = response.file ? response.file->length : 0;
  reservation.max_downloads = entitlement.limit_num_downloads;
  reservation.max_clients = entitlement.limit_num_clients;
  reservation.max_bytes = entitlement.BandwidthLimitBytes();
  reservation.dedupe_window = options_.dedupe_window;
  reservation.now = now;
  return reservation;
}

std::optional<Reason> DownloadHandler::Decide(const policy::Entitlement& entitlement,
                                              std::string_view path, bool found, bool is_public,
                                              absl::Time now) const {
  policy::DownloadFacts facts{.path = path, .found = found};
  // Everyone reads a public repository, so only a private one can revoke a user token.
  if (entitlement.user && !is_public) {
    facts.user_has_read = HasRead(policy::Principal{entitlement.org, policy::PrincipalKind::kUser,
                                                    *entitlement.user, policy::OrgRole::kMember},
                                  entitlement.repo);
  }
  // Identity costs a parse and a few strings, so only scoped tokens pay for it.
  std::optional<policy::PackageIdentity> identity;
  if (found && (entitlement.limit_package_query || entitlement.limit_path_query)) {
    identity = policy::IdentifyPackage(path);
    facts.is_index_file = !identity.has_value();
    if (identity) facts.identity = &*identity;
  }
  return policy::Evaluate(entitlement, facts, now);
}

DownloadResponse DownloadHandler::Serve(const http::request_header<>& request,
                                        storage::ArtifactFile file, std::string_view path) const {
  const Validators validators{MakeEtag(file.size(), file.modified()), file.modified()};

  DownloadResponse response;
  auto& head = response.head;
  head.set(http::field::etag, validators.etag);
  head.set(http::field::last_modified, FormatHttpDate(validators.last_modified));
  head.set(http::field::accept_ranges, "bytes");

  if (IsNotModified(HeaderValue(request, http::field::if_none_match),
                    HeaderValue(request, http::field::if_modified_since), validators)) {
    head.result(http::status::not_modified);
    return response;
  }
  head.set(http::field::content_type, ContentTypeFor(path));

  RangeDecision range;
  if (IfRangeAllowsPartial(HeaderValue(request, http::field::if_range), validators)) {
    range = DecideRange(HeaderValue(request, http::field::range), file.size());
  }
  uint64_t offset = 0;
  uint64_t length = file.size();
  switch (range.outcome) {
    case RangeOutcome::kWholeBody:
      head.result(http::status::ok);
      break;
    case RangeOutcome::kPartial:
      head.result(http::status::partial_content);
      head.set(http::field::content_range, ContentRangeHeader(range.range, file.size()));
      offset = range.range.first;
      length = range.range.last - range.range.first + 1;
      break;
    case RangeOutcome::kUnsatisfiable: {
      DownloadResponse refused = Deny(Reason::kRangeNotSatisfiable, "tollgate");
      refused.head.set(http::field::content_range, UnsatisfiedRangeHeader(file.size()));
      return refused;
    }
  }
  head.content_length(length);
  if (request.method() == http::verb::get && length > 0) {
    response.file = FileSlice{std::move(file), offset, length};
  }
  return response;
}

}  // namespace tollgate::gateway
