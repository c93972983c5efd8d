// Construction of admin API responses and the one status → HTTP error mapping.
#include "admin/api_response.h"

#include "boost/json/serialize.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;

ApiResponse Json(http::status status, const boost::json::value& body) {
  return ApiResponse{status, boost::json::serialize(body), {}};
}

ApiResponse Error(http::status status, std::string_view code, std::string_view detail) {
  return Json(status, boost::json::object{{"code", code}, {"detail", detail}});
}

ApiResponse NoContent() { return ApiResponse{http::status::no_content, "", {}}; }

ApiResponse NotFound(std::string_view what) {
  return Error(http::status::not_found, "not_found", Concat("No such ", what, "."));
}

ApiResponse MethodNotAllowed(std::string_view allowed) {
  return Error(http::status::method_not_allowed, "method_not_allowed",
               Concat("Use ", allowed, " here."));
}

ApiResponse BadRequest(const absl::Status& status) {
  return Error(http::status::bad_request, "bad_request", ToStd(status.message()));
}

ApiResponse FromStatus(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return Error(http::status::unprocessable_entity, "invalid_field", ToStd(status.message()));
    case absl::StatusCode::kNotFound:
      return Error(http::status::not_found, "not_found", ToStd(status.message()));
    case absl::StatusCode::kAlreadyExists:
      return Error(http::status::conflict, "conflict", ToStd(status.message()));
    case absl::StatusCode::kFailedPrecondition:
      return Error(http::status::conflict, "conflict", ToStd(status.message()));
    case absl::StatusCode::kUnavailable:
      return Error(http::status::service_unavailable, "store_unavailable", ToStd(status.message()));
    default:
      return Error(http::status::internal_server_error, "internal_error", ToStd(status.message()));
  }
}

}  // namespace tollgate::gateway::admin
