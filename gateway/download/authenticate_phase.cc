// Authenticate: the credential of the route (token in the path, Authorization header, or none)
// becomes an entitlement token or an account, before anything reveals whether the artifact
// exists.
#include "download/phases.h"
#include "http/account_keys.h"
#include "http/authorization_header.h"

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

// The client key (SPEC §4.2): every line of the one forwarding header in use, taken together.
void IdentifyClient(DownloadContext& context, const DownloadOptions& options) {
  std::string& chain = context.forwarded_chain;
  chain.clear();
  const auto [first, last] = context.request->equal_range(ClientHeaderName(options.client_header));
  for (auto line = first; line != last; ++line) {
    if (!chain.empty()) chain += ',';
    chain += std::string_view(line->value());
  }
  context.client = ClientKey(context.peer, chain, options.client_header, options.trusted_proxies);
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

  if (context.repository) {
    context.entitlement = stores.entitlements->FindByToken(route.org, route.repo, secret);
    // An API key never travels in the URL: only the header routes may carry one.
    if (context.entitlement == nullptr && route.source == CredentialSource::kBasic) {
      context.account = FindAccount(stores, route.org, username, secret);
    }
  }
  if (context.entitlement == nullptr && !context.account) return Reason::kInvalidCredentials;
  if (context.entitlement != nullptr) IdentifyClient(context, services.options);
  // Store outage (SPEC §4.5): tokens with counted limits fail closed at once; the others keep
  // working from this instance's copy of the store for the stale grace.
  const bool store_usable =
      context.entitlement != nullptr && context.entitlement->HasCountedLimits()
          ? stores.is_reachable()
          : stores.staleness() <= services.options.stale_grace;
  if (!store_usable) return Reason::kStoreUnavailable;
  // Anyone may read a public repository, so an account needs no grant there.
  if (context.account && !context.is_public &&
      !HoldsRead(*stores.accounts, context.account->org, context.account->kind,
                 context.account->name, route.repo)) {
    return Reason::kInsufficientPrivilege;
  }
  return kContinue;
}

}  // namespace tollgate::gateway
