// The admin API's error table.
#include "admin/api_error.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;

namespace {

struct ErrorInfo {
  http::status status;
  std::string_view code;
};

ErrorInfo Describe(ApiError error) {
  switch (error) {
    case ApiError::kBadRequest:
      return {http::status::bad_request, "bad_request"};
    case ApiError::kMissingApiKey:
      return {http::status::unauthorized, "missing_api_key"};
    case ApiError::kInvalidApiKey:
      return {http::status::unauthorized, "invalid_api_key"};
    case ApiError::kEntitlementTokenNotAllowed:
      return {http::status::unauthorized, "entitlement_token_not_allowed"};
    case ApiError::kInsufficientPrivilege:
      return {http::status::forbidden, "insufficient_privilege"};
    case ApiError::kNotFound:
      return {http::status::not_found, "not_found"};
    case ApiError::kMethodNotAllowed:
      return {http::status::method_not_allowed, "method_not_allowed"};
    case ApiError::kUploadNotSupported:
      return {http::status::method_not_allowed, "upload_not_supported"};
    case ApiError::kConflict:
      return {http::status::conflict, "conflict"};
    case ApiError::kQuotaExceeded:
      return {http::status::conflict, "quota_exceeded"};
    case ApiError::kRepositoryNotEmpty:
      return {http::status::conflict, "repository_not_empty"};
    case ApiError::kLengthRequired:
      return {http::status::length_required, "length_required"};
    case ApiError::kPayloadTooLarge:
      return {http::status::payload_too_large, "payload_too_large"};
    case ApiError::kTooManyFailedAttempts:
      return {http::status::too_many_requests, "too_many_failed_attempts"};
    case ApiError::kInvalidField:
      return {http::status::unprocessable_entity, "invalid_field"};
    case ApiError::kChecksumMismatch:
      return {http::status::unprocessable_entity, "checksum_mismatch"};
    case ApiError::kOriginNotAllowed:
      return {http::status::unprocessable_entity, "origin_not_allowed"};
    case ApiError::kInternalError:
      return {http::status::internal_server_error, "internal_error"};
    case ApiError::kUpstreamUnavailable:
      return {http::status::bad_gateway, "upstream_unavailable"};
    case ApiError::kStoreUnavailable:
      return {http::status::service_unavailable, "store_unavailable"};
    case ApiError::kUpstreamTimeout:
      return {http::status::gateway_timeout, "upstream_timeout"};
  }
  return {http::status::internal_server_error, "internal_error"};
}

}  // namespace

http::status ApiErrorStatus(ApiError error) { return Describe(error).status; }

std::string_view ApiErrorCode(ApiError error) { return Describe(error).code; }

}  // namespace tollgate::gateway::admin
