// List pagination of the admin API: `page` and `page_size` in, X-Total-Count and an RFC
// 8288 Link header out.
#pragma once

#include <cstddef>
#include <string_view>
#include <variant>

#include "admin/api_request.h"
#include "admin/api_response.h"
#include "boost/json/array.hpp"

namespace tollgate::gateway::admin {

struct PageRequest {
  size_t page = 1;  // 1-based
  size_t page_size = 100;
  size_t offset() const { return (page - 1) * page_size; }
};

// The `page` and `page_size` parameters (page_size 1–500, default 100), or the 422 naming
// the parameter that is not a valid number.
std::variant<PageRequest, ApiResponse> ReadPageRequest(const ApiRequest& request);

// Answers with `slice`, the requested page of a list of `total` items, adding X-Total-Count
// and the Link header.
ApiResponse PageResponse(const PageRequest& page, boost::json::array slice, size_t total,
                         std::string_view base_path);

// Answers with the requested page of `items` (page 1-based, page_size 1–500, default 100).
// 422 naming the parameter when either is not a valid number. `base_path` is the list's
// path, used to build the Link URLs.
ApiResponse Paginate(const ApiRequest& request, boost::json::array items,
                     std::string_view base_path);

}  // namespace tollgate::gateway::admin
