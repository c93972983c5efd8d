// Usage periods of `scheduled_reset_period` (SPEC §3): usage resets at each period boundary,
// counted from the token's anchor (its creation or last reset), in UTC and calendar-correct.
#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "tollgate/policy/entitlement.h"

namespace tollgate::policy {

struct UsagePeriod {
  absl::Time start;
  std::optional<absl::Time> end;  // exclusive; nullopt for `never`
};

// The usage period of `entitlement` at `now`, with a key naming it in the usage ledger. The
// key includes the anchor, so a manual reset (which moves the anchor) starts from zero.
struct UsagePeriodRef {
  std::string key;
  UsagePeriod period;
};
UsagePeriodRef UsagePeriodOf(const Entitlement& entitlement, absl::Time now);

// The period that contains `now`. Month-based periods step from the anchor by whole months,
// clamping the day to the month's length (anchor Jan 31 → Feb 28/29 → Mar 31 …), always
// measured from the anchor so no drift accumulates. A `now` before the anchor falls in the
// first period. Never fails.
UsagePeriod CurrentUsagePeriod(ResetPeriod period, absl::Time anchor, absl::Time now);

}  // namespace tollgate::policy
