// Usage periods of `scheduled_reset_period` (SPEC §3): usage resets at each period boundary,
// counted from the token's anchor (its creation or last reset), in UTC and calendar-correct.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

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
  // "{anchor}-{start}" in Unix microseconds. Two 64-bit numbers and a dash fit in 41
  // characters, kept inline: every counted download names its period without allocating.
  std::array<char, 48> key_chars{};
  size_t key_size = 0;
  UsagePeriod period;

  std::string_view key() const { return {key_chars.data(), key_size}; }
};
UsagePeriodRef UsagePeriodOf(const Entitlement& entitlement, absl::Time now);

// The period that contains `now`. Month-based periods step from the anchor by whole months,
// clamping the day to the month's length (anchor Jan 31 → Feb 28/29 → Mar 31 …), always
// measured from the anchor so no drift accumulates. A `now` before the anchor falls in the
// first period. Never fails.
UsagePeriod CurrentUsagePeriod(ResetPeriod period, absl::Time anchor, absl::Time now);

}  // namespace tollgate::policy
