// Authenticate: the credential of the route (token in the path, Authorization header, or none)
// becomes an entitlement token or an account, before anything reveals whether the artifact
// exists.
#include "download/phases.h"
#include "http/account_keys.h"
#include "http/authorization_header.h"
#include "http/brute_force.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

namespace {

// The user or service of the route's org whose API key is `secret` (and whose name is
// `username`, when one is given). Any user name goes with a token ("token:…"), but with an
// API key it must be the key's own.
std::optional<policy::Principal> FindAccount(const storage::Stores& stores, const std::string& org,
                                             std::string_view username, std::string_view secret) {
  std::optional<policy::Principal> account = FindAccountByKey(*stores.accounts, username, secret);
  if (!account || account->org != org) return std::nullopt;
  return account;
}

}  // namespace

PhaseOutcome Authenticate(DownloadContext& context, const DownloadServices& services) {
  const storage::Stores& stores = services.stores;
  const DownloadRoute& route = context.route;
  std::string_view secret;
  std::string_view username;  // Basic only: may name the account whose API key is the secret
  PresentedCredential presented;
  switch (route.source) {
    case CredentialSource::kPathToken:
      secret = route.token;
      break;
    case CredentialSource::kBasic: {
      const auto header = context.request->find(http::field::authorization);
      if (header == context.request->end()) {
        if (!context.is_public) return Reason::kMissingCredentials;
        return kContinue;
      }
      absl::StatusOr<PresentedCredential> credential = ParseAuthorization(header->value());
      if (!credential.ok()) return Reason::kBadRequest;
      presented = *std::move(credential);
      secret = presented.secret;
      username = presented.username;
      break;
    }
    case CredentialSource::kPublic:
      if (!context.is_public) return Reason::kMissingCredentials;
      return kContinue;
  }

  // Brute force (SPEC §4.6): a blocked client's credentials are not even checked.
  const DownloadOptions& options = services.options;
  context.client = RequestClientKey(*context.request, context.peer, options.client_header,
                                    options.settings->trusted_proxies(), context.forwarded_chain);
  const absl::Time now = options.clock();
  if (std::optional<absl::Time> until = services.auth_failures->BlockedUntil(context.client, now)) {
    context.blocked_for = *until - now;
    return Reason::kTooManyFailedAttempts;
  }
  if (context.repository) {
    context.entitlement = stores.entitlements->FindByToken(route.org, route.repo, secret);
    // An API key never travels in the URL, nor in the token-only header forms.
    if (context.entitlement == nullptr && route.source == CredentialSource::kBasic &&
        presented.kind != PresentedCredential::Kind::kToken) {
      context.account = FindAccount(stores, route.org, username, secret);
    }
  }
  if (context.entitlement == nullptr && !context.account) {
    context.credential_rejected = true;
    return Reason::kInvalidCredentials;
  }
  // Store outage (SPEC §4.5): tokens with counted limits fail closed at once; the others keep
  // working from this instance's copy of the store for the stale grace.
  const bool store_usable =
      context.entitlement != nullptr && context.entitlement->HasCountedLimits()
          ? stores.is_reachable()
          : stores.staleness() <= options.settings->stale_grace();
  if (!store_usable) return Reason::kStoreUnavailable;
  // Anyone may read a public repository, so an account needs no grant there.
  if (context.account && !context.is_public &&
      !HoldsRead(*stores.accounts, context.account->org, context.account->kind,
                 context.account->name, route.repo)) {
    return Reason::kInsufficientPrivilege;
  }
  return kContinue;
}

boost::asio::awaitable<PhaseOutcome> CountRejectedCredential(DownloadContext& context,
                                                             const DownloadServices& services) {
  if (!context.credential_rejected) co_return kContinue;
  const std::optional<absl::Duration> blocked = co_await CountCredentialFailure(
      *services.auth_failures, context.client, services.options.clock(), "download");
  if (!blocked) co_return kContinue;
  context.blocked_for = *blocked;
  co_return Reason::kTooManyFailedAttempts;
}

}  // namespace tollgate::gateway
