// What both entitlement stores check of a write before touching storage, so that they refuse
// the same writes with the same errors.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tollgate/policy/entitlement.h"

namespace tollgate::storage {

// InvalidArgument unless `entitlement.updated_at` is later than `expected_updated_at` to the
// microsecond: a write that kept updated_at could not be told from the one it replaced.
absl::Status CheckLaterUpdate(const policy::Entitlement& entitlement,
                              absl::Time expected_updated_at);

// InvalidArgument unless every token of `tokens` is a standard token (no user) of org/repo;
// AlreadyExists when two of them share an identifier or a token string.
absl::Status CheckStandardTokens(const std::string& org, const std::string& repo,
                                 const std::vector<policy::Entitlement>& tokens);

}  // namespace tollgate::storage
