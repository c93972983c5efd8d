// Tests of the entitlement model: enum spellings, counted limits, bandwidth bytes, validation.
#include "tollgate/policy/entitlement.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace tollgate::policy {
namespace {

constexpr uint64_t kMaxBytes = std::numeric_limits<uint64_t>::max();

Entitlement ValidEntitlement() {
  Entitlement e;
  e.name = "customer-42";
  e.token = "abcdEFGH1234";
  return e;
}

// Every bandwidth unit has SPEC's name and parses back from it.
TEST(BandwidthUnitTest, NamesRoundTrip) {
  const struct {
    BandwidthUnit unit;
    std::string_view name;
  } cases[] = {
      {BandwidthUnit::kByte, "byte"},         {BandwidthUnit::kKilobyte, "kilobyte"},
      {BandwidthUnit::kMegabyte, "megabyte"}, {BandwidthUnit::kGigabyte, "gigabyte"},
      {BandwidthUnit::kTerabyte, "terabyte"}, {BandwidthUnit::kPetabyte, "petabyte"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(BandwidthUnitName(c.unit), c.name);
    EXPECT_EQ(ParseBandwidthUnit(c.name), c.unit);
  }
}

// Unknown unit names, including other spellings of known ones, do not parse.
TEST(BandwidthUnitTest, RefusesUnknownNames) {
  for (std::string_view name : {"", "bytes", "Byte", "GB", "exabyte", "kibibyte"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(ParseBandwidthUnit(name), std::nullopt);
  }
}

// Every reset period has SPEC's name and parses back from it.
TEST(ResetPeriodTest, NamesRoundTrip) {
  const struct {
    ResetPeriod period;
    std::string_view name;
  } cases[] = {
      {ResetPeriod::kNever, "never"},         {ResetPeriod::kDaily, "daily"},
      {ResetPeriod::kWeekly, "weekly"},       {ResetPeriod::kFortnightly, "fortnightly"},
      {ResetPeriod::kMonthly, "monthly"},     {ResetPeriod::kBiMonthly, "bi_monthly"},
      {ResetPeriod::kQuarterly, "quarterly"}, {ResetPeriod::kEvery6Months, "every_6_months"},
      {ResetPeriod::kAnnual, "annual"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ResetPeriodName(c.period), c.name);
    EXPECT_EQ(ParseResetPeriod(c.name), c.period);
  }
}

// Unknown period names do not parse.
TEST(ResetPeriodTest, RefusesUnknownNames) {
  for (std::string_view name : {"", "Daily", "yearly", "bi-monthly", "every_6_month"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(ParseResetPeriod(name), std::nullopt);
  }
}

// Downloads, clients and bandwidth are counted limits; dates and scopes are not.
TEST(EntitlementTest, HasCountedLimits) {
  Entitlement e = ValidEntitlement();
  e.limit_date_range_to = absl::UnixEpoch();
  e.limit_package_query = "name:agent";
  EXPECT_FALSE(e.HasCountedLimits());

  Entitlement downloads = ValidEntitlement();
  downloads.limit_num_downloads = 0;
  EXPECT_TRUE(downloads.HasCountedLimits());
  Entitlement clients = ValidEntitlement();
  clients.limit_num_clients = 1;
  EXPECT_TRUE(clients.HasCountedLimits());
  Entitlement bandwidth = ValidEntitlement();
  bandwidth.limit_bandwidth = 5;
  EXPECT_TRUE(bandwidth.HasCountedLimits());
}

// No bandwidth limit means no byte count.
TEST(BandwidthLimitBytesTest, UnsetIsUnlimited) {
  EXPECT_EQ(ValidEntitlement().BandwidthLimitBytes(), std::nullopt);
}

// Units are powers of 1000.
TEST(BandwidthLimitBytesTest, UnitsArePowersOf1000) {
  const struct {
    int64_t amount;
    BandwidthUnit unit;
    uint64_t bytes;
  } cases[] = {
      {0, BandwidthUnit::kPetabyte, 0},
      {7, BandwidthUnit::kByte, 7},
      {5, BandwidthUnit::kKilobyte, 5'000},
      {5, BandwidthUnit::kMegabyte, 5'000'000},
      {5, BandwidthUnit::kGigabyte, 5'000'000'000},
      {5, BandwidthUnit::kTerabyte, 5'000'000'000'000},
      {5, BandwidthUnit::kPetabyte, 5'000'000'000'000'000},
      {std::numeric_limits<int64_t>::max(), BandwidthUnit::kByte,
       uint64_t{std::numeric_limits<int64_t>::max()}},
      {18'446'744'073'709'551, BandwidthUnit::kKilobyte, 18'446'744'073'709'551'000u},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << c.amount << " " << BandwidthUnitName(c.unit));
    Entitlement e = ValidEntitlement();
    e.limit_bandwidth = c.amount;
    e.limit_bandwidth_unit = c.unit;
    EXPECT_EQ(e.BandwidthLimitBytes(), c.bytes);
  }
}

// Limits beyond 2^64-1 bytes saturate instead of wrapping around to a small number.
TEST(BandwidthLimitBytesTest, Saturates) {
  const struct {
    int64_t amount;
    BandwidthUnit unit;
  } cases[] = {
      {18'446'744'073'709'552, BandwidthUnit::kKilobyte},
      {18'446'744'073'710, BandwidthUnit::kMegabyte},
      {18'447, BandwidthUnit::kPetabyte},
      {std::numeric_limits<int64_t>::max(), BandwidthUnit::kPetabyte},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << c.amount << " " << BandwidthUnitName(c.unit));
    Entitlement e = ValidEntitlement();
    e.limit_bandwidth = c.amount;
    e.limit_bandwidth_unit = c.unit;
    EXPECT_EQ(e.BandwidthLimitBytes(), kMaxBytes);
  }
}

// A negative limit, which validation refuses, fails closed as zero bytes, not as 2^64-1.
TEST(BandwidthLimitBytesTest, NegativeIsZero) {
  Entitlement e = ValidEntitlement();
  e.limit_bandwidth = -1;
  e.limit_bandwidth_unit = BandwidthUnit::kGigabyte;
  EXPECT_EQ(e.BandwidthLimitBytes(), 0u);
}

// Tokens of 8 to 128 characters from SPEC's alphabet, starting alphanumeric, are accepted.
TEST(ValidateTokenStringTest, AcceptsValidTokens) {
  for (const std::string& token : {std::string("abcd1234"), std::string("A1._-xyz"),
                                   std::string("0-------"), std::string(128, 'z')}) {
    SCOPED_TRACE(token);
    EXPECT_TRUE(ValidateTokenString(token).ok());
  }
}

// Tokens outside the length range or alphabet are InvalidArgument naming the field.
TEST(ValidateTokenStringTest, RefusesInvalidTokens) {
  for (const std::string& token :
       {std::string(""), std::string("abc1234"), std::string(129, 'z'), std::string(".abcdefg"),
        std::string("-abcdefg"), std::string("abcd/efgh"), std::string("abcd efgh"),
        std::string("abcd%2fefgh"), std::string("abcd\xC3\xA4pqr"), std::string("abcd\0efgh", 9)}) {
    SCOPED_TRACE(token);
    const absl::Status s = ValidateTokenString(token);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(s.message(), "token"));
  }
}

// A fully specified, consistent entitlement validates.
TEST(ValidateEntitlementTest, AcceptsValidEntitlement) {
  Entitlement e = ValidEntitlement();
  e.limit_num_downloads = 0;
  e.limit_num_clients = 1;
  e.limit_bandwidth = 5;
  e.limit_date_range_from = absl::FromUnixSeconds(0);
  e.limit_date_range_to = absl::FromUnixSeconds(1);
  EXPECT_TRUE(ValidateEntitlement(e).ok());
  EXPECT_TRUE(ValidateEntitlement(ValidEntitlement()).ok());
}

// The name must have 1 to 200 characters.
TEST(ValidateEntitlementTest, NameLength) {
  Entitlement e = ValidEntitlement();
  e.name = std::string(200, 'n');
  EXPECT_TRUE(ValidateEntitlement(e).ok());
  for (const std::string& name : {std::string(), std::string(201, 'n')}) {
    e.name = name;
    const absl::Status s = ValidateEntitlement(e);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(s.message(), "name"));
  }
}

// An invalid token string makes the entitlement invalid.
TEST(ValidateEntitlementTest, ChecksToken) {
  Entitlement e = ValidEntitlement();
  e.token = "short";
  const absl::Status s = ValidateEntitlement(e);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "token"));
}

// Negative counted limits are refused with the offending field's name first.
TEST(ValidateEntitlementTest, RefusesNegativeLimits) {
  const struct {
    std::optional<int64_t> Entitlement::*field;
    const char* name;
  } cases[] = {
      {&Entitlement::limit_num_downloads, "limit_num_downloads"},
      {&Entitlement::limit_num_clients, "limit_num_clients"},
      {&Entitlement::limit_bandwidth, "limit_bandwidth"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Entitlement e = ValidEntitlement();
    e.*c.field = -1;
    const absl::Status s = ValidateEntitlement(e);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(s.message(), c.name)) << s;
  }
}

// The date window must end after it starts; an empty or inverted window is refused.
TEST(ValidateEntitlementTest, RefusesUnorderedWindow) {
  for (int64_t to_seconds : {int64_t{100}, int64_t{99}}) {
    Entitlement e = ValidEntitlement();
    e.limit_date_range_from = absl::FromUnixSeconds(100);
    e.limit_date_range_to = absl::FromUnixSeconds(to_seconds);
    const absl::Status s = ValidateEntitlement(e);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(s.message(), "limit_date_range_to")) << s;
  }
}

// A window open at one end is valid.
TEST(ValidateEntitlementTest, AcceptsHalfOpenWindow) {
  Entitlement from_only = ValidEntitlement();
  from_only.limit_date_range_from = absl::FromUnixSeconds(100);
  EXPECT_TRUE(ValidateEntitlement(from_only).ok());
  Entitlement to_only = ValidEntitlement();
  to_only.limit_date_range_to = absl::FromUnixSeconds(100);
  EXPECT_TRUE(ValidateEntitlement(to_only).ok());
}

// A write later than the last one, to the microsecond, takes the clock's time (whole microseconds).
TEST(NextUpdatedAtTest, TakesTheClockWhenLater) {
  const absl::Time previous = absl::FromUnixMicros(1'000);
  EXPECT_EQ(NextUpdatedAt(previous, absl::FromUnixMicros(5'000) + absl::Nanoseconds(999)),
            absl::FromUnixMicros(5'000));
}

// A write in the same microsecond as the last one, or when the clock went back, still gets a
// later updated_at.
TEST(NextUpdatedAtTest, AlwaysMovesForward) {
  const absl::Time previous = absl::FromUnixMicros(1'000) + absl::Nanoseconds(500);
  EXPECT_EQ(NextUpdatedAt(previous, previous), absl::FromUnixMicros(1'001));
  EXPECT_EQ(NextUpdatedAt(previous, absl::FromUnixMicros(1)), absl::FromUnixMicros(1'001));
}

}  // namespace
}  // namespace tollgate::policy
