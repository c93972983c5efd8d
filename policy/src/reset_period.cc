// Period arithmetic: fixed-length periods by division, month-based ones on the civil
// calendar in UTC.
#include "tollgate/policy/reset_period.h"

#include <charconv>

#include "absl/time/civil_time.h"

namespace tollgate::policy {
namespace {

// Months per period, or 0 for the fixed-length ones.
int MonthsPer(ResetPeriod period) {
  switch (period) {
    case ResetPeriod::kMonthly:
      return 1;
    case ResetPeriod::kBiMonthly:
      return 2;
    case ResetPeriod::kQuarterly:
      return 3;
    case ResetPeriod::kEvery6Months:
      return 6;
    case ResetPeriod::kAnnual:
      return 12;
    default:
      return 0;
  }
}

absl::Duration LengthOf(ResetPeriod period) {
  switch (period) {
    case ResetPeriod::kDaily:
      return absl::Hours(24);
    case ResetPeriod::kWeekly:
      return absl::Hours(24 * 7);
    case ResetPeriod::kFortnightly:
      return absl::Hours(24 * 14);
    default:
      return absl::ZeroDuration();
  }
}

// The anchor moved forward by `months`, its day clamped to the target month's length.
absl::Time AddMonths(absl::Time anchor, int64_t months) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilSecond at = absl::ToCivilSecond(anchor, utc);
  const absl::CivilMonth month = absl::CivilMonth(at) + months;
  const absl::CivilDay last_day = absl::CivilDay(month + 1) - 1;
  const int day = std::min(at.day(), last_day.day());
  const absl::CivilSecond moved(month.year(), month.month(), day, at.hour(), at.minute(),
                                at.second());
  return absl::FromCivil(moved, utc) + (anchor - absl::FromCivil(at, utc));  // keep sub-seconds
}

}  // namespace

UsagePeriod CurrentUsagePeriod(ResetPeriod period, absl::Time anchor, absl::Time now) {
  if (period == ResetPeriod::kNever) return UsagePeriod{anchor, std::nullopt};
  if (now < anchor) now = anchor;
  if (const absl::Duration length = LengthOf(period); length != absl::ZeroDuration()) {
    absl::Duration remainder;  // IDivDuration requires somewhere to put it
    const int64_t elapsed = absl::IDivDuration(now - anchor, length, &remainder);
    const absl::Time start = anchor + elapsed * length;
    return UsagePeriod{start, start + length};
  }
  const int months = MonthsPer(period);
  const absl::TimeZone utc = absl::UTCTimeZone();
  // Estimate by calendar months, then correct for day-of-month clamping at either side.
  int64_t steps = (absl::CivilMonth(absl::ToCivilSecond(now, utc)) -
                   absl::CivilMonth(absl::ToCivilSecond(anchor, utc))) /
                  months;
  while (steps > 0 && AddMonths(anchor, steps * months) > now) --steps;
  while (AddMonths(anchor, (steps + 1) * months) <= now) ++steps;
  return UsagePeriod{AddMonths(anchor, steps * months), AddMonths(anchor, (steps + 1) * months)};
}

UsagePeriodRef UsagePeriodOf(const Entitlement& entitlement, absl::Time now) {
  const absl::Time anchor = entitlement.UsageAnchor();
  UsagePeriodRef ref;
  ref.period = CurrentUsagePeriod(entitlement.scheduled_reset_period, anchor, now);
  char* const end = ref.key_chars.data() + ref.key_chars.size();
  char* next = std::to_chars(ref.key_chars.data(), end, absl::ToUnixMicros(anchor)).ptr;
  *next++ = '-';
  next = std::to_chars(next, end, absl::ToUnixMicros(ref.period.start)).ptr;
  ref.key_size = static_cast<size_t>(next - ref.key_chars.data());
  return ref;
}

}  // namespace tollgate::policy
