// Audit entries from admin requests.
#include "admin/audit.h"

#include "boost/json/serialize.hpp"
#include "observe/log.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {
namespace json = boost::json;

void RecordAudit(const AdminContext& context, const ApiRequest& request, const std::string& org,
                 std::string action, std::string target, json::object details) {
  storage::AuditEntry entry;
  entry.org = org;
  entry.at = context.clock();
  entry.actor_kind = std::string(policy::PrincipalKindName(request.caller.kind));
  entry.actor = request.caller.name;
  entry.client_address = request.client_address;
  entry.action = std::move(action);
  entry.target = std::move(target);
  entry.details_json = json::serialize(details);
  if (absl::Status s = context.stores.audit->Append(entry); !s.ok()) {
    LogEvent("error", "audit_log_write_failed",
             {{"org", org}, {"action", entry.action}, {"error", ToStd(s.message())}});
  }
}

json::object ChangedFields(const json::object& before, const json::object& after) {
  json::object old_values;
  json::object new_values;
  for (const auto& [field, value] : after) {
    const json::value* previous = before.if_contains(field);
    if (previous == nullptr || *previous != value) {
      old_values[field] = previous ? *previous : json::value(nullptr);
      new_values[field] = value;
    }
  }
  return json::object{{"before", std::move(old_values)}, {"after", std::move(new_values)}};
}

}  // namespace tollgate::gateway::admin
