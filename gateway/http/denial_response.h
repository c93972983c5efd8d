// The one place where a denial reason becomes an HTTP status, a JSON body and headers
// (SPEC §2.1): {"code": "...", "detail": "..."} plus X-Tollgate-Reason.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "boost/beast/http/status.hpp"  // needs <ostream>, which it does not include
#include "http/response_head.h"
#include "tollgate/policy/reason.h"

namespace tollgate::gateway {

// The status SPEC gives `reason`.
boost::beast::http::status DenialStatus(policy::Reason reason);

// Turns `head` and `body` into the denial for `reason`: its status, the JSON body with its
// Content-Length and type, X-Tollgate-Reason, `WWW-Authenticate: Basic realm="{realm}"` on a
// 401 and `Allow: GET, HEAD` on a 405. Fields already in `head` are left as they are.
void WriteDenial(policy::Reason reason, std::string_view realm, std::string_view detail,
                 ResponseHead& head, std::string& body);

}  // namespace tollgate::gateway
