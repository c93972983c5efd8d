// /api/v1/entitlements/{org}/{repo}/…: create, list, get, update, delete, enable, disable
// and refresh entitlement tokens. Needs `write` on the repository.
#pragma once

#include "admin/admin_context.h"
#include "admin/api_request.h"
#include "admin/api_response.h"

namespace tollgate::gateway::admin {

// Handles a request whose segments start with "entitlements". Never fails: errors are
// responses.
ApiResponse HandleEntitlements(const AdminContext& context, const ApiRequest& request);

}  // namespace tollgate::gateway::admin
