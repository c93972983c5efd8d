// Recording admin changes in the audit log (SPEC §3 `/api/v1/audit-log/{org}/`).
#pragma once

#include <string>

#include "admin/admin_context.h"
#include "admin/api_request.h"
#include "boost/json/object.hpp"

namespace tollgate::gateway::admin {

// Appends "`request.caller` did `action` to `target`" with `details` (before/after of what
// changed; the caller must never put a secret there). The change has already happened, so a
// store failure is logged and otherwise ignored: it must not turn a done change into an error.
void RecordAudit(const AdminContext& context, const ApiRequest& request, const std::string& org,
                 std::string action, std::string target, boost::json::object details = {});

// {"before": before, "after": after} keeping only the fields whose values differ.
boost::json::object ChangedFields(const boost::json::object& before,
                                  const boost::json::object& after);

}  // namespace tollgate::gateway::admin
