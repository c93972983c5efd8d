// Read-modify-write of an org's directory with optimistic concurrency: concurrent admin
// requests (on this or another instance) never lose each other's changes.
#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tollgate/policy/org_directory.h"
#include "tollgate/storage/account_store.h"

namespace tollgate::gateway::admin {

// What a change does to a copy of the directory. Returning an error abandons the change
// and UpdateDirectory returns that error unchanged. May run more than once.
using DirectoryChange = std::function<absl::Status(policy::OrgDirectory&)>;

// Applies `change` to `org`'s current directory and stores the result, re-reading and
// re-applying when another writer got there first. Returns the directory as stored.
// NotFound when the org does not exist; Unavailable when the store cannot be written or
// the directory kept changing under us.
absl::StatusOr<policy::OrgDirectory> UpdateDirectory(storage::AccountStore& accounts,
                                                     const std::string& org,
                                                     const DirectoryChange& change);

}  // namespace tollgate::gateway::admin
