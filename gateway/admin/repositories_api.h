// /api/v1/repos/{org}/[{repo}/]: create, list, get, update and delete repositories, and their
// privileges/ and signing-key/.
#pragma once

#include "admin/admin_context.h"
#include "admin/api_request.h"
#include "admin/api_response.h"
#include "boost/asio/awaitable.hpp"

namespace tollgate::gateway::admin {

// Handles a request whose segments start with "repos". Never fails: errors are responses.
// Completes on the caller's executor (a new or changed origin's host is looked up).
boost::asio::awaitable<ApiResponse> HandleRepositories(const AdminContext& context,
                                                       const ApiRequest& request);

}  // namespace tollgate::gateway::admin
