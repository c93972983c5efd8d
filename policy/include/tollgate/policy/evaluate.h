// The download decision for one entitlement: pure, no I/O, clock injected (SPEC §4.1).
#pragma once

#include <optional>

#include "absl/time/time.h"
#include "tollgate/policy/entitlement.h"
#include "tollgate/policy/reason.h"

namespace tollgate::policy {

// Checks, in SPEC order, that the token is active and `now` lies inside its date window
// (`from` inclusive, `to` exclusive). Returns the first failing reason, or nullopt to allow.
std::optional<Reason> Evaluate(const Entitlement& entitlement, absl::Time now);

}  // namespace tollgate::policy
