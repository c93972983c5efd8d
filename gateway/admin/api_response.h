// Admin API responses: JSON bodies, SPEC §3 error shape {"code","detail"}, status mapping.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "admin/api_error.h"
#include "boost/beast/http/status.hpp"
#include "boost/json/value.hpp"

namespace tollgate::gateway::admin {

struct ApiResponse {
  boost::beast::http::status status = boost::beast::http::status::ok;
  std::string body;  // JSON, or empty for 204
  std::vector<std::pair<std::string, std::string>> headers;
};

ApiResponse Json(boost::beast::http::status status, const boost::json::value& body);
// The error `error` (its status and code, api_error.h) with `detail` as its sentence.
ApiResponse Error(ApiError error, std::string_view detail);
ApiResponse NoContent();

// 404 `not_found`: "No such {what}.".
ApiResponse NotFound(std::string_view what);
// 405 `method_not_allowed`: "Use {allowed} here.".
ApiResponse MethodNotAllowed(std::string_view allowed);
// 400 `bad_request` with `status`'s message: a body or path that cannot be read.
ApiResponse BadRequest(const absl::Status& status);

// Maps a store/validation status to the API's error: InvalidArgument 422 `invalid_field`,
// NotFound 404 `not_found`, AlreadyExists 409 `conflict`, FailedPrecondition 409,
// Unavailable 503 `store_unavailable`, anything else 500 `internal_error`.
ApiResponse FromStatus(const absl::Status& status);

}  // namespace tollgate::gateway::admin
