// Why a request was refused: the denial codes of SPEC §2.1, free of any HTTP detail.
// The gateway maps each reason to a status and a body in exactly one place.
#pragma once

#include <string_view>

namespace tollgate::policy {

enum class Reason {
  kBadRequest,
  kMissingCredentials,
  kInvalidCredentials,
  kTokenDisabled,
  kTokenNotYetValid,
  kTokenExpired,
  kPackageNotAllowed,
  kPathNotAllowed,
  kDownloadLimitReached,
  kClientLimitReached,
  kBandwidthLimitReached,
  kAccessRevoked,
  kInsufficientPrivilege,
  kNotFound,
  kMethodNotAllowed,
  kRangeNotSatisfiable,
  kTooManyFailedAttempts,
  kTooManyConnections,
  kServerBusy,
  kUpstreamUnavailable,
  kStoreUnavailable,
  kUpstreamTimeout,  // keep last: kReasonCount counts up to it
};

// How many reasons there are (arrays indexed by reason, e.g. the metrics, are this long).
inline constexpr int kReasonCount = static_cast<int>(Reason::kUpstreamTimeout) + 1;

// The SPEC's snake_case code for `reason`, e.g. "token_expired". Never fails.
std::string_view ReasonCode(Reason reason);

}  // namespace tollgate::policy
