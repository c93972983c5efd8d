// The one place where a denial reason becomes an HTTP status, a JSON body and headers
// (SPEC §2.1): {"code": "...", "detail": "..."} plus X-Tollgate-Reason.
#pragma once

#include <string>
#include <string_view>

#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/message.hpp"
#include "boost/beast/http/status.hpp"
#include "tollgate/policy/reason.h"

namespace tollgate::gateway {

// A complete small response: header with Content-Length set, and its body.
struct SmallResponse {
  boost::beast::http::response<boost::beast::http::empty_body> head;
  std::string body;
};

// The status SPEC gives `reason`.
boost::beast::http::status DenialStatus(policy::Reason reason);

// The response for `reason`. `realm` is the Basic realm sent with a 401; `detail` replaces
// the reason's stock sentence when not empty. Adds `Allow: GET, HEAD` to a 405.
SmallResponse MakeDenialResponse(policy::Reason reason, std::string_view realm,
                                 std::string_view detail = {});

}  // namespace tollgate::gateway
