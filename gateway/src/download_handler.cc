// Download decisions, in SPEC order: the first failing check decides the answer.
#include "download_handler.h"

#include "authorization_header.h"
#include "conditional_request.h"
#include "content_type.h"
#include "denial_response.h"
#include "http_range.h"
#include "route.h"
#include "tollgate/policy/concat.h"
#include "tollgate/policy/evaluate.h"
#include "tollgate/policy/package_identity.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

DownloadHandler::DownloadHandler(storage::Stores stores,
                                 std::shared_ptr<const storage::ArtifactSource> files,
                                 DownloadOptions options)
    : stores_(std::move(stores)), files_(std::move(files)), options_(std::move(options)) {}

DownloadResponse DownloadHandler::Deny(Reason reason, std::string_view realm) const {
  SmallResponse denial = MakeDenialResponse(reason, realm);
  DownloadResponse response;
  response.head = std::move(denial.head);
  response.body = std::move(denial.body);
  response.denial = reason;
  return response;
}

DownloadResponse DownloadHandler::Handle(const http::request_header<>& request) const {
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
      break;
    }
    case CredentialSource::kPublic:
      if (!is_public) return Deny(Reason::kMissingCredentials, realm);
      break;
  }

  storage::EntitlementPtr entitlement;
  if (secret) {
    if (repository) {
      entitlement = stores_.entitlements->FindByToken(route->org, route->repo, *secret);
    }
    if (entitlement == nullptr) return Deny(Reason::kInvalidCredentials, realm);
  }

  std::string path = route->artifact.path;
  if (route->artifact.is_folder) path = path.empty() ? "index.html" : path + "/index.html";
  absl::StatusOr<storage::ArtifactFile> file = files_->Open(route->org, route->repo, path);
  std::optional<Reason> refused;
  if (entitlement != nullptr) {
    refused = Decide(*entitlement, path, file.ok());
  } else if (!file.ok()) {
    refused = Reason::kNotFound;
  }
  DownloadResponse response =
      refused ? Deny(*refused, realm) : Serve(request, *std::move(file), path);
  if (entitlement != nullptr) response.token_identifier = entitlement->identifier;
  return response;
}

std::optional<Reason> DownloadHandler::Decide(const policy::Entitlement& entitlement,
                                              std::string_view path, bool found) const {
  policy::DownloadFacts facts{.path = path, .found = found};
  // Identity costs a parse and a few strings, so only scoped tokens pay for it.
  std::optional<policy::PackageIdentity> identity;
  if (found && (entitlement.limit_package_query || entitlement.limit_path_query)) {
    identity = policy::IdentifyPackage(path);
    facts.is_index_file = !identity.has_value();
    if (identity) facts.identity = &*identity;
  }
  return policy::Evaluate(entitlement, facts, options_.clock());
}

DownloadResponse DownloadHandler::Serve(const http::request_header<>& request,
                                        storage::ArtifactFile file, std::string_view path) const {
  const Validators validators{MakeEtag(file.size(), file.modified()), file.modified()};
  const auto header_value = [&](http::field field) -> std::string_view {
    const auto it = request.find(field);
    return it == request.end() ? std::string_view{} : std::string_view(it->value());
  };

  DownloadResponse response;
  auto& head = response.head;
  head.set(http::field::etag, validators.etag);
  head.set(http::field::last_modified, FormatHttpDate(validators.last_modified));
  head.set(http::field::accept_ranges, "bytes");

  if (IsNotModified(header_value(http::field::if_none_match),
                    header_value(http::field::if_modified_since), validators)) {
    head.result(http::status::not_modified);
    return response;
  }
  head.set(http::field::content_type, ContentTypeFor(path));

  RangeDecision range;
  if (IfRangeAllowsPartial(header_value(http::field::if_range), validators)) {
    range = DecideRange(header_value(http::field::range), file.size());
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
