// The per-request decision against one entitlement (SPEC §4.1, the checks before lookup).
#include "tollgate/policy/evaluate.h"

namespace tollgate::policy {

std::optional<Reason> Evaluate(const Entitlement& entitlement, absl::Time now) {
  if (!entitlement.is_active) return Reason::kTokenDisabled;
  if (entitlement.limit_date_range_from && now < *entitlement.limit_date_range_from) {
    return Reason::kTokenNotYetValid;
  }
  if (entitlement.limit_date_range_to && now >= *entitlement.limit_date_range_to) {
    return Reason::kTokenExpired;
  }
  return std::nullopt;
}

}  // namespace tollgate::policy
