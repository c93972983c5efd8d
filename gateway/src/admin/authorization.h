// Who may do what (SPEC §1): repository privileges read < write < admin. Org owners and
// managers hold admin on every repository of their org.
#pragma once

#include <string>
#include <string_view>

#include "admin/api_response.h"
#include "tollgate/storage/account_store.h"

namespace tollgate::gateway::admin {

enum class Privilege { kNone, kRead, kWrite, kAdmin };

// The privilege `caller` holds on repository `org/repo`.
Privilege RepositoryPrivilege(const storage::Account& caller, std::string_view org,
                              std::string_view repo);

// True when `caller` is an owner or manager of `org`.
bool ManagesOrg(const storage::Account& caller, std::string_view org);

// 403 insufficient_privilege whose detail names what was needed, e.g. "write on acme/agents".
ApiResponse InsufficientPrivilege(std::string_view needed);

}  // namespace tollgate::gateway::admin
