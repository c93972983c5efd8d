// Spelling of the denial codes exactly as SPEC §2.1 names them.
#include "tollgate/policy/reason.h"

namespace tollgate::policy {

std::string_view ReasonCode(Reason reason) {
  switch (reason) {
    case Reason::kBadRequest:
      return "bad_request";
    case Reason::kMissingCredentials:
      return "missing_credentials";
    case Reason::kInvalidCredentials:
      return "invalid_credentials";
    case Reason::kTokenDisabled:
      return "token_disabled";
    case Reason::kTokenNotYetValid:
      return "token_not_yet_valid";
    case Reason::kTokenExpired:
      return "token_expired";
    case Reason::kPackageNotAllowed:
      return "package_not_allowed";
    case Reason::kPathNotAllowed:
      return "path_not_allowed";
    case Reason::kDownloadLimitReached:
      return "download_limit_reached";
    case Reason::kClientLimitReached:
      return "client_limit_reached";
    case Reason::kBandwidthLimitReached:
      return "bandwidth_limit_reached";
    case Reason::kAccessRevoked:
      return "access_revoked";
    case Reason::kInsufficientPrivilege:
      return "insufficient_privilege";
    case Reason::kNotFound:
      return "not_found";
    case Reason::kMethodNotAllowed:
      return "method_not_allowed";
    case Reason::kRangeNotSatisfiable:
      return "range_not_satisfiable";
    case Reason::kTooManyFailedAttempts:
      return "too_many_failed_attempts";
    case Reason::kTooManyConnections:
      return "too_many_connections";
    case Reason::kServerBusy:
      return "server_busy";
    case Reason::kUpstreamUnavailable:
      return "upstream_unavailable";
    case Reason::kStoreUnavailable:
      return "store_unavailable";
    case Reason::kUpstreamTimeout:
      return "upstream_timeout";
  }
  return "unknown";
}

}  // namespace tollgate::policy
