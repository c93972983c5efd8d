// /api/v1/entitlements/{org}/{repo}/…: create, list, get, update, delete, enable, disable,
// refresh and reset entitlement tokens, and their usage. Needs `write` on the repository.
#pragma once

#include "admin/admin_context.h"
#include "admin/api_request.h"
#include "admin/api_response.h"
#include "boost/asio/awaitable.hpp"

namespace tollgate::gateway::admin {

// Handles a request whose segments start with "entitlements", on the caller's executor (the
// usage ledger may be remote). Never fails: errors are responses.
boost::asio::awaitable<ApiResponse> HandleEntitlements(const AdminContext& context,
                                                       const ApiRequest& request);

}  // namespace tollgate::gateway::admin
