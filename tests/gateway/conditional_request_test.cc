// Tests of validators and conditional requests: ETag, HTTP-date, If-None-Match,
// If-Modified-Since and If-Range (RFC 9110 §8.8, §13).
#include "http/conditional_request.h"

#include "gtest/gtest.h"

namespace tollgate::gateway {
namespace {

// Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date.
const absl::Time kExampleDate = absl::FromUnixSeconds(784111777);

Validators FileValidators() {
  return {.etag = "\"2ebc98a1-3e8\"", .last_modified = kExampleDate + absl::Milliseconds(250)};
}

// The ETag is nginx's: hex mtime seconds and hex size in quotes.
TEST(MakeEtagTest, MatchesNginxFormat) {
  const auto etag = [](uint64_t size, absl::Time modified) {
    const FixedText<48> text = FormatEtag(size, modified);
    return std::string(text.view());
  };
  EXPECT_EQ(etag(1000, kExampleDate), "\"2ebc98a1-3e8\"");
  EXPECT_EQ(etag(0, absl::UnixEpoch()), "\"0-0\"");
  EXPECT_EQ(etag(1000, kExampleDate + absl::Milliseconds(999)), "\"2ebc98a1-3e8\"");
  EXPECT_EQ(etag(UINT64_MAX, absl::FromUnixSeconds(-1)), "\"ffffffffffffffff-ffffffffffffffff\"");
}

// The text of the last second a thread formatted is remembered: asking for other times in
// between still gives each its own.
TEST(FormatHttpDateTest, TextOfAlternatingTimes) {
  const auto text = [](absl::Time t) {
    const FixedText<32> formatted = FormatHttpDateText(t);
    return std::string(formatted.view());
  };
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(text(kExampleDate), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(text(kExampleDate + absl::Milliseconds(500)), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(text(absl::UnixEpoch()), "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(text(absl::InfiniteFuture()), "Fri, 31 Dec 9999 23:59:59 GMT");
  }
}

// HTTP dates are IMF-fixdate in GMT with whole seconds.
TEST(FormatHttpDateTest, FormatsImfFixdate) {
  EXPECT_EQ(FormatHttpDate(kExampleDate), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(kExampleDate + absl::Milliseconds(999)),
            "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(absl::UnixEpoch()), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(absl::FromUnixSeconds(1709208000)), "Thu, 29 Feb 2024 12:00:00 GMT");
}

// Times beyond four-digit years are clamped instead of producing an invalid date.
TEST(FormatHttpDateTest, ClampsOutOfRangeTimes) {
  EXPECT_EQ(FormatHttpDate(absl::InfiniteFuture()), "Fri, 31 Dec 9999 23:59:59 GMT");
  EXPECT_EQ(FormatHttpDate(absl::InfinitePast()), "Mon, 01 Jan 0001 00:00:00 GMT");
}

// All three HTTP-date forms of RFC 9110 §5.6.7 are read.
TEST(ParseHttpDateTest, ReadsAllThreeForms) {
  for (std::string_view s : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                             "Sun Nov  6 08:49:37 1994", " Sun, 06 Nov 1994 08:49:37 GMT "}) {
    SCOPED_TRACE(s);
    EXPECT_EQ(ParseHttpDate(s), kExampleDate);
  }
}

// Formatting then parsing gives back the same second.
TEST(ParseHttpDateTest, RoundTripsFormatHttpDate) {
  for (int64_t seconds :
       {int64_t{0}, int64_t{951782400}, int64_t{1709208000}, int64_t{4102444799}}) {
    const absl::Time t = absl::FromUnixSeconds(seconds);
    EXPECT_EQ(ParseHttpDate(FormatHttpDate(t)), t) << FormatHttpDate(t);
  }
}

// Two-digit RFC 850 years 69–99 are 19xx and 00–68 are 20xx.
TEST(ParseHttpDateTest, Rfc850YearPivot) {
  EXPECT_EQ(ParseHttpDate("Thursday, 01-Jan-70 00:00:00 GMT"), absl::UnixEpoch());
  EXPECT_EQ(ParseHttpDate("Monday, 01-Jan-01 00:00:00 GMT"), absl::FromUnixSeconds(978307200));
  EXPECT_EQ(ParseHttpDate("Wednesday, 01-Jan-69 00:00:00 GMT"), absl::FromUnixSeconds(-31536000));
}

// asctime days 10–31 take both digit positions.
TEST(ParseHttpDateTest, AsctimeTwoDigitDay) {
  EXPECT_EQ(ParseHttpDate("Wed Nov 16 08:49:37 1994"), kExampleDate + absl::Hours(24 * 10));
}

// Malformed, impossible or non-GMT dates are refused.
TEST(ParseHttpDateTest, RefusesInvalidDates) {
  for (std::string_view s : {
           "",
           "yesterday",
           "Sun, 06 Nov 1994 08:49:37 UTC",
           "Sun, 06 Nov 1994 08:49:37 +0000",
           "Sun, 6 Nov 1994 08:49:37 GMT",
           "sun, 06 Nov 1994 08:49:37 GMT",
           "Sun, 06 nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 94 08:49:37 GMT",
           "Sun, 31 Feb 1994 08:49:37 GMT",
           "Sun, 00 Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 1994 24:00:00 GMT",
           "Sun, 06 Nov 1994 08:60:00 GMT",
           "Sun, 06 Nov 1994 08:49:61 GMT",
           "Sun, 06 Nov 1994 08:49:37 GMT; length=1000",
           "Sun,06 Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 1994 8:49:37 GMT",
           "Sun, 0x Nov 1994 08:49:37 GMT",
           "Sun Nov 6 08:49:37 1994",
           "Sun Nov  6 08:49:37 94",
           "Sunday, 06-Nov-1994 08:49:37 GMT",
           "Sun, 06-Nov-94 08:49:37 GMT",
       }) {
    SCOPED_TRACE(s);
    EXPECT_EQ(ParseHttpDate(s), std::nullopt);
  }
}

// A leap second is read as the first second of the next minute.
TEST(ParseHttpDateTest, LeapSecond) {
  EXPECT_EQ(ParseHttpDate("Sat, 31 Dec 2016 23:59:60 GMT"), absl::FromUnixSeconds(1483228800));
}

// If-None-Match matches with the weak comparison, in a list, or with `*`.
TEST(IsNotModifiedTest, IfNoneMatchMatches) {
  for (std::string_view inm :
       {"\"2ebc98a1-3e8\"", "W/\"2ebc98a1-3e8\"", "\"other\", \"2ebc98a1-3e8\"",
        "\"a,b\",W/\"2ebc98a1-3e8\" ,", "*", " * "}) {
    SCOPED_TRACE(inm);
    EXPECT_TRUE(IsNotModified(inm, "", FileValidators()));
  }
}

// A different or malformed If-None-Match does not match.
TEST(IsNotModifiedTest, IfNoneMatchMismatches) {
  for (std::string_view inm :
       {"\"other\"", "2ebc98a1-3e8", "\"2ebc98a1-3e8", "\"2ebc98a1\"", "\"2ebc98a1-3e8\" \"x\"",
        "\"2ebc98a1-3e8\", garbage", "w/\"2ebc98a1-3e8\"", "\"\""}) {
    SCOPED_TRACE(inm);
    EXPECT_FALSE(IsNotModified(inm, "", FileValidators()));
  }
}

// If-None-Match takes precedence: when it is present If-Modified-Since is not consulted.
TEST(IsNotModifiedTest, IfNoneMatchTakesPrecedence) {
  EXPECT_FALSE(IsNotModified("\"other\"", "Sun, 06 Nov 1994 08:49:37 GMT", FileValidators()));
  EXPECT_TRUE(IsNotModified("\"2ebc98a1-3e8\"", "Sat, 01 Jan 1994 00:00:00 GMT", FileValidators()));
}

// If-Modified-Since compares whole seconds: not modified when last_modified <= the date.
TEST(IsNotModifiedTest, IfModifiedSinceComparesSeconds) {
  const Validators v = FileValidators();  // modified at 08:49:37.250
  EXPECT_TRUE(IsNotModified("", "Sun, 06 Nov 1994 08:49:37 GMT", v));
  EXPECT_TRUE(IsNotModified("", "Sun, 06 Nov 1994 08:49:38 GMT", v));
  EXPECT_TRUE(IsNotModified("", "Sun Nov  6 08:49:37 1994", v));
  EXPECT_FALSE(IsNotModified("", "Sun, 06 Nov 1994 08:49:36 GMT", v));
}

// An absent or unparsable If-Modified-Since is ignored, so the body is sent.
TEST(IsNotModifiedTest, UnparsableDateIsIgnored) {
  EXPECT_FALSE(IsNotModified("", "", FileValidators()));
  EXPECT_FALSE(IsNotModified("", "not a date", FileValidators()));
  EXPECT_FALSE(IsNotModified("  ", "Sun, 06 Nov 1994 08:49:37 UTC", FileValidators()));
}

// An absent If-Range allows the range.
TEST(IfRangeAllowsPartialTest, EmptyAllows) {
  EXPECT_TRUE(IfRangeAllowsPartial("", FileValidators()));
  EXPECT_TRUE(IfRangeAllowsPartial(" ", FileValidators()));
}

// An ETag in If-Range must match strongly; a weak one never does.
TEST(IfRangeAllowsPartialTest, EtagUsesStrongComparison) {
  EXPECT_TRUE(IfRangeAllowsPartial("\"2ebc98a1-3e8\"", FileValidators()));
  EXPECT_FALSE(IfRangeAllowsPartial("W/\"2ebc98a1-3e8\"", FileValidators()));
  EXPECT_FALSE(IfRangeAllowsPartial("\"other\"", FileValidators()));
  EXPECT_FALSE(IfRangeAllowsPartial("\"2ebc98a1-3e8\", \"x\"", FileValidators()));
  EXPECT_FALSE(IfRangeAllowsPartial("\"2ebc98a1-3e8", FileValidators()));
  Validators weak = FileValidators();
  weak.etag = "W/\"2ebc98a1-3e8\"";
  EXPECT_FALSE(IfRangeAllowsPartial("\"2ebc98a1-3e8\"", weak));
}

// A date in If-Range must equal last_modified at whole seconds.
TEST(IfRangeAllowsPartialTest, DateMustBeExact) {
  EXPECT_TRUE(IfRangeAllowsPartial("Sun, 06 Nov 1994 08:49:37 GMT", FileValidators()));
  EXPECT_FALSE(IfRangeAllowsPartial("Sun, 06 Nov 1994 08:49:38 GMT", FileValidators()));
  EXPECT_FALSE(IfRangeAllowsPartial("Sun, 06 Nov 1994 08:49:36 GMT", FileValidators()));
  EXPECT_FALSE(IfRangeAllowsPartial("garbage", FileValidators()));
}

}  // namespace
}  // namespace tollgate::gateway
