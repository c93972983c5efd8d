// GET /api/v1/audit-log/{org}/: the org's admin changes, newest first, for owners and managers.
#pragma once

#include "admin/admin_context.h"
#include "admin/api_request.h"
#include "admin/api_response.h"

namespace tollgate::gateway::admin {

// Handles a request whose segments start with "audit-log". Never fails: errors are responses.
ApiResponse HandleAuditLog(const AdminContext& context, const ApiRequest& request);

}  // namespace tollgate::gateway::admin
