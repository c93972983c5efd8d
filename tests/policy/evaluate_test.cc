// Tests of the per-request decision: active flag and date window, with an injected clock.
#include "tollgate/policy/evaluate.h"

#include "gtest/gtest.h"

namespace tollgate::policy {
namespace {

const absl::Time kFrom = absl::FromUnixSeconds(1'700'000'000);
const absl::Time kTo = kFrom + absl::Hours(24 * 30);

Entitlement WindowedToken() {
  Entitlement e;
  e.limit_date_range_from = kFrom;
  e.limit_date_range_to = kTo;
  return e;
}

// An active token without a window is allowed at any time.
TEST(EvaluateTest, AllowsActiveTokenWithoutWindow) {
  const Entitlement e;
  EXPECT_EQ(Evaluate(e, absl::UnixEpoch()), std::nullopt);
  EXPECT_EQ(Evaluate(e, kTo + absl::Hours(24 * 3650)), std::nullopt);
}

// A disabled token is refused, and that reason comes before the date window's.
TEST(EvaluateTest, DisabledComesFirst) {
  Entitlement e = WindowedToken();
  e.is_active = false;
  EXPECT_EQ(Evaluate(e, kFrom + absl::Hours(1)), Reason::kTokenDisabled);
  EXPECT_EQ(Evaluate(e, kFrom - absl::Hours(1)), Reason::kTokenDisabled);
  EXPECT_EQ(Evaluate(e, kTo + absl::Hours(1)), Reason::kTokenDisabled);
}

// The window's start is inclusive: one nanosecond before it is too early, the instant itself is
// not.
TEST(EvaluateTest, FromIsInclusive) {
  const Entitlement e = WindowedToken();
  EXPECT_EQ(Evaluate(e, kFrom - absl::Nanoseconds(1)), Reason::kTokenNotYetValid);
  EXPECT_EQ(Evaluate(e, kFrom), std::nullopt);
}

// The window's end is exclusive: the instant itself is already expired.
TEST(EvaluateTest, ToIsExclusive) {
  const Entitlement e = WindowedToken();
  EXPECT_EQ(Evaluate(e, kTo - absl::Nanoseconds(1)), std::nullopt);
  EXPECT_EQ(Evaluate(e, kTo), Reason::kTokenExpired);
  EXPECT_EQ(Evaluate(e, kTo + absl::Hours(1)), Reason::kTokenExpired);
}

// Either end of the window may be open.
TEST(EvaluateTest, HalfOpenWindows) {
  Entitlement only_from;
  only_from.limit_date_range_from = kFrom;
  EXPECT_EQ(Evaluate(only_from, kFrom - absl::Seconds(1)), Reason::kTokenNotYetValid);
  EXPECT_EQ(Evaluate(only_from, kTo + absl::Hours(24 * 3650)), std::nullopt);

  Entitlement only_to;
  only_to.limit_date_range_to = kTo;
  EXPECT_EQ(Evaluate(only_to, absl::UnixEpoch()), std::nullopt);
  EXPECT_EQ(Evaluate(only_to, kTo), Reason::kTokenExpired);
}

}  // namespace
}  // namespace tollgate::policy
