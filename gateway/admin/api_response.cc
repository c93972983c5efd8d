// Construction of admin API responses and the one status → HTTP error mapping.
#include "admin/api_response.h"

#include "boost/json/serialize.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;

ApiResponse Json(http::status status, const boost::json::value& body) {
  return ApiResponse{status, boost::json::serialize(body), {}};
}

ApiResponse Error(ApiError error, std::string_view detail) {
  return Json(ApiErrorStatus(error),
              boost::json::object{{"code", ApiErrorCode(error)}, {"detail", detail}});
}

ApiResponse NoContent() { return ApiResponse{http::status::no_content, "", {}}; }

ApiResponse NotFound(std::string_view what) {
  return Error(ApiError::kNotFound, Concat("No such ", what, "."));
}

ApiResponse MethodNotAllowed(std::string_view allowed) {
  return Error(ApiError::kMethodNotAllowed, Concat("Use ", allowed, " here."));
}

ApiResponse BadRequest(const absl::Status& status) {
  return Error(ApiError::kBadRequest, ToStd(status.message()));
}

ApiResponse FromStatus(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return Error(ApiError::kInvalidField, ToStd(status.message()));
    case absl::StatusCode::kNotFound:
      return Error(ApiError::kNotFound, ToStd(status.message()));
    case absl::StatusCode::kAlreadyExists:
      return Error(ApiError::kConflict, ToStd(status.message()));
    case absl::StatusCode::kFailedPrecondition:
      return Error(ApiError::kConflict, ToStd(status.message()));
    case absl::StatusCode::kUnavailable:
      return Error(ApiError::kStoreUnavailable, ToStd(status.message()));
    default:
      return Error(ApiError::kInternalError, ToStd(status.message()));
  }
}

}  // namespace tollgate::gateway::admin
