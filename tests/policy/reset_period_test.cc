// Tests of usage periods: fixed lengths, calendar months with clamping, leap years.
#include "tollgate/policy/reset_period.h"

#include "gtest/gtest.h"

namespace tollgate::policy {
namespace {

absl::Time At(const char* rfc3339) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) << error;
  return t;
}

struct PeriodCase {
  ResetPeriod period;
  const char* anchor;
  const char* now;
  const char* start;
  const char* end;
};

class PeriodTableTest : public testing::TestWithParam<PeriodCase> {};

// Each row: the period containing `now` for a token anchored at `anchor`.
TEST_P(PeriodTableTest, ContainsNow) {
  const PeriodCase& c = GetParam();
  const UsagePeriod p = CurrentUsagePeriod(c.period, At(c.anchor), At(c.now));
  EXPECT_EQ(p.start, At(c.start)) << c.anchor << " " << c.now;
  ASSERT_TRUE(p.end.has_value());
  EXPECT_EQ(*p.end, At(c.end)) << c.anchor << " " << c.now;
}

INSTANTIATE_TEST_SUITE_P(
    Periods, PeriodTableTest,
    testing::Values(
        PeriodCase{ResetPeriod::kDaily, "2026-01-01T10:00:00Z", "2026-01-03T09:59:59Z",
                   "2026-01-02T10:00:00Z", "2026-01-03T10:00:00Z"},
        PeriodCase{ResetPeriod::kDaily, "2026-01-01T10:00:00Z", "2026-01-03T10:00:00Z",
                   "2026-01-03T10:00:00Z", "2026-01-04T10:00:00Z"},
        PeriodCase{ResetPeriod::kWeekly, "2026-01-01T00:00:00Z", "2026-01-15T00:00:00Z",
                   "2026-01-15T00:00:00Z", "2026-01-22T00:00:00Z"},
        PeriodCase{ResetPeriod::kFortnightly, "2026-01-01T00:00:00Z", "2026-01-14T23:59:59Z",
                   "2026-01-01T00:00:00Z", "2026-01-15T00:00:00Z"},
        // months clamp to the month's last day, always measured from the anchor
        PeriodCase{ResetPeriod::kMonthly, "2026-01-31T12:00:00Z", "2026-02-28T12:00:00Z",
                   "2026-02-28T12:00:00Z", "2026-03-31T12:00:00Z"},
        PeriodCase{ResetPeriod::kMonthly, "2026-01-31T12:00:00Z", "2026-02-28T11:59:59Z",
                   "2026-01-31T12:00:00Z", "2026-02-28T12:00:00Z"},
        PeriodCase{ResetPeriod::kMonthly, "2026-01-31T12:00:00Z", "2026-04-30T13:00:00Z",
                   "2026-04-30T12:00:00Z", "2026-05-31T12:00:00Z"},
        PeriodCase{ResetPeriod::kMonthly, "2028-01-31T00:00:00Z", "2028-02-29T00:00:00Z",
                   "2028-02-29T00:00:00Z", "2028-03-31T00:00:00Z"},
        PeriodCase{ResetPeriod::kMonthly, "2026-03-15T00:00:00Z", "2026-12-31T23:59:59Z",
                   "2026-12-15T00:00:00Z", "2027-01-15T00:00:00Z"},
        PeriodCase{ResetPeriod::kBiMonthly, "2026-12-31T00:00:00Z", "2027-03-01T00:00:00Z",
                   "2027-02-28T00:00:00Z", "2027-04-30T00:00:00Z"},
        PeriodCase{ResetPeriod::kQuarterly, "2026-11-30T00:00:00Z", "2027-03-01T00:00:00Z",
                   "2027-02-28T00:00:00Z", "2027-05-30T00:00:00Z"},
        PeriodCase{ResetPeriod::kEvery6Months, "2026-08-31T00:00:00Z", "2027-03-01T00:00:00Z",
                   "2027-02-28T00:00:00Z", "2027-08-31T00:00:00Z"},
        // leap day anchors fall back to Feb 28 in common years and return on Feb 29
        PeriodCase{ResetPeriod::kAnnual, "2028-02-29T00:00:00Z", "2029-03-01T00:00:00Z",
                   "2029-02-28T00:00:00Z", "2030-02-28T00:00:00Z"},
        PeriodCase{ResetPeriod::kAnnual, "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z",
                   "2032-02-29T00:00:00Z", "2033-02-28T00:00:00Z"},
        PeriodCase{ResetPeriod::kAnnual, "2028-02-29T00:00:00Z", "2032-02-28T23:59:59Z",
                   "2031-02-28T00:00:00Z", "2032-02-29T00:00:00Z"}));

// `never` is one period from the anchor with no end.
TEST(ResetPeriodTest, NeverHasNoEnd) {
  const UsagePeriod p = CurrentUsagePeriod(ResetPeriod::kNever, At("2026-01-01T00:00:00Z"),
                                           At("2030-01-01T00:00:00Z"));
  EXPECT_EQ(p.start, At("2026-01-01T00:00:00Z"));
  EXPECT_FALSE(p.end.has_value());
}

// A clock before the anchor (skew) falls in the first period.
TEST(ResetPeriodTest, BeforeAnchorIsFirstPeriod) {
  const UsagePeriod p = CurrentUsagePeriod(ResetPeriod::kMonthly, At("2026-05-10T00:00:00Z"),
                                           At("2026-05-09T00:00:00Z"));
  EXPECT_EQ(p.start, At("2026-05-10T00:00:00Z"));
  EXPECT_EQ(*p.end, At("2026-06-10T00:00:00Z"));
}

// Sub-second anchors keep their fraction on every boundary.
TEST(ResetPeriodTest, KeepsSubSeconds) {
  const absl::Time anchor = At("2026-01-31T00:00:00Z") + absl::Milliseconds(250);
  const UsagePeriod p =
      CurrentUsagePeriod(ResetPeriod::kMonthly, anchor, At("2026-03-01T00:00:00Z"));
  EXPECT_EQ(p.start, At("2026-02-28T00:00:00Z") + absl::Milliseconds(250));
}

}  // namespace
}  // namespace tollgate::policy
