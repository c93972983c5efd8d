// Every error the admin API answers (SPEC §3), and the one table that gives each its HTTP
// status and its wire code — as http/denial_response.cc does for downloads. Bodies are
// {"code": …, "detail": …}.
#pragma once

#include <ostream>
#include <string_view>

#include "boost/beast/http/status.hpp"  // needs <ostream>, which it does not include

namespace tollgate::gateway::admin {

enum class ApiError {
  kBadRequest,                  // 400: a target, header or body that cannot be read
  kMissingApiKey,               // 401: no API key
  kInvalidApiKey,               // 401: an unknown API key
  kEntitlementTokenNotAllowed,  // 401: an entitlement token presented as an API key
  kInsufficientPrivilege,       // 403: the caller's role or grant is too low (detail: what)
  kNotFound,                    // 404: no such org, repository, token, member …
  kMethodNotAllowed,            // 405: the endpoint takes other methods
  kUploadNotSupported,          // 405: a plain HTTP origin is read-only through tollgate
  kConflict,                    // 409: exists already, or the change would break a rule
  kQuotaExceeded,               // 409: beyond the org's max_active_entitlements
  kRepositoryNotEmpty,          // 409: a repository is deleted only once its files are gone
  kLengthRequired,              // 411: an S3 upload needs its Content-Length
  kPayloadTooLarge,             // 413: a JSON body over 1 MiB
  kTooManyFailedAttempts,       // 429: a client blocked for sending too many invalid keys
  kInvalidField,                // 422: a field's value is refused (detail names the field)
  kChecksumMismatch,            // 422: the upload is not what X-Checksum-Sha256 said
  kOriginNotAllowed,            // 422: an origin address refused by --origin-allow's rule
  kInternalError,               // 500: a damaged store or an unexpected failure
  kUpstreamUnavailable,         // 502: an S3 origin could not be reached or refused the write
  kStoreUnavailable,            // 503: the store cannot be reached
  kUpstreamTimeout,             // 504: an S3 origin did not answer in time
};

// The status SPEC gives `error`.
boost::beast::http::status ApiErrorStatus(ApiError error);

// The wire code: "bad_request", "missing_api_key", "quota_exceeded" …
std::string_view ApiErrorCode(ApiError error);

}  // namespace tollgate::gateway::admin
