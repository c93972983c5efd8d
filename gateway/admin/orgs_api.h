// /api/v1/orgs/{org}/…: the org itself (quota), its members, teams and services.
#pragma once

#include "admin/admin_context.h"
#include "admin/api_request.h"
#include "admin/api_response.h"

namespace tollgate::gateway::admin {

// Handles a request whose segments start with "orgs". Never fails: errors are responses.
ApiResponse HandleOrgs(const AdminContext& context, const ApiRequest& request);

// The parts, each given a request whose segments are "orgs", org, part, … and whose caller
// belongs to org.
ApiResponse HandleMembers(const AdminContext& context, const ApiRequest& request);
ApiResponse HandleTeams(const AdminContext& context, const ApiRequest& request);
ApiResponse HandleServices(const AdminContext& context, const ApiRequest& request);

}  // namespace tollgate::gateway::admin
