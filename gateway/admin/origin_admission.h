// The --origin-allow check of a repository's origin when its storage is set (created or
// changed): the host is looked up and every address checked, as each connection to it is.
#pragma once

#include <optional>
#include <string_view>

#include "admin/admin_context.h"
#include "admin/api_response.h"
#include "boost/asio/awaitable.hpp"

namespace tollgate::gateway::admin {

// nullopt when `storage_json` (as it is to be stored) names no HTTP origin, when every
// address of its host passes the rule, or when the lookup fails (a name that does not
// resolve now is checked at every later lookup, before anything connects). 422
// origin_not_allowed naming the refused address otherwise. Completes on the caller's executor.
boost::asio::awaitable<std::optional<ApiResponse>> CheckOriginAdmission(
    const AdminContext& context, std::string_view storage_json);

}  // namespace tollgate::gateway::admin
