// List pagination of the admin API: `page` and `page_size` in, X-Total-Count and an RFC
// 8288 Link header out.
#pragma once

#include <string_view>

#include "admin/api_request.h"
#include "admin/api_response.h"
#include "boost/json/array.hpp"

namespace tollgate::gateway::admin {

// Answers with the requested page of `items` (page 1-based, page_size 1–500, default 100).
// 422 naming the parameter when either is not a valid number. `base_path` is the list's
// path, used to build the Link URLs.
ApiResponse Paginate(const ApiRequest& request, boost::json::array items,
                     std::string_view base_path);

}  // namespace tollgate::gateway::admin
