// Tests of the single-range decision (RFC 9110 §14) and the Content-Range values.
#include "http/http_range.h"

#include <initializer_list>

#include "gtest/gtest.h"

namespace tollgate::gateway {
namespace {

struct Case {
  std::string_view header;
  uint64_t size;
  RangeOutcome outcome;
  uint64_t first = 0;
  uint64_t last = 0;
};

void ExpectDecisions(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << "Range: " << c.header << " size " << c.size);
    const RangeDecision d = DecideRange(c.header, c.size);
    EXPECT_EQ(d.outcome, c.outcome);
    if (c.outcome == RangeOutcome::kPartial) {
      EXPECT_EQ(d.range.first, c.first);
      EXPECT_EQ(d.range.last, c.last);
    }
  }
}

// No Range header means the whole body.
TEST(DecideRangeTest, EmptyHeaderIsWholeBody) {
  ExpectDecisions({{"", 1000, RangeOutcome::kWholeBody}, {"  ", 1000, RangeOutcome::kWholeBody}});
}

// first-last ranges are served as given, the last position clamped to the end.
TEST(DecideRangeTest, ClosedRanges) {
  ExpectDecisions({
      {"bytes=0-99", 1000, RangeOutcome::kPartial, 0, 99},
      {"bytes=0-0", 1000, RangeOutcome::kPartial, 0, 0},
      {"bytes=500-999", 1000, RangeOutcome::kPartial, 500, 999},
      {"bytes=500-5000", 1000, RangeOutcome::kPartial, 500, 999},
      {"bytes=999-999", 1000, RangeOutcome::kPartial, 999, 999},
      {"bytes=0-18446744073709551615", 1000, RangeOutcome::kPartial, 0, 999},
      {" bytes=1-2 ", 1000, RangeOutcome::kPartial, 1, 2},
      {"BYTES=1-2", 1000, RangeOutcome::kPartial, 1, 2},
  });
}

// first- ranges run to the end, which is how downloaders resume.
TEST(DecideRangeTest, OpenRanges) {
  ExpectDecisions({
      {"bytes=0-", 1000, RangeOutcome::kPartial, 0, 999},
      {"bytes=400-", 1000, RangeOutcome::kPartial, 400, 999},
      {"bytes=999-", 1000, RangeOutcome::kPartial, 999, 999},
  });
}

// -n asks for the last n bytes; more than the body is the whole body as a 206.
TEST(DecideRangeTest, SuffixRanges) {
  ExpectDecisions({
      {"bytes=-100", 1000, RangeOutcome::kPartial, 900, 999},
      {"bytes=-1", 1000, RangeOutcome::kPartial, 999, 999},
      {"bytes=-1000", 1000, RangeOutcome::kPartial, 0, 999},
      {"bytes=-5000", 1000, RangeOutcome::kPartial, 0, 999},
  });
}

// A start at or past the end, or a zero-length suffix, cannot be satisfied (416).
TEST(DecideRangeTest, Unsatisfiable) {
  ExpectDecisions({
      {"bytes=1000-", 1000, RangeOutcome::kUnsatisfiable},
      {"bytes=1000-2000", 1000, RangeOutcome::kUnsatisfiable},
      {"bytes=0-", 0, RangeOutcome::kUnsatisfiable},
      {"bytes=-0", 1000, RangeOutcome::kUnsatisfiable},
  });
}

// A suffix range of an empty body has no bytes to name, so the (empty) body is sent whole.
TEST(DecideRangeTest, SuffixOfEmptyBodyIsWholeBody) {
  ExpectDecisions({{"bytes=-10", 0, RangeOutcome::kWholeBody}});
}

// Invalid headers are ignored, as RFC 9110 §14.2 requires, rather than answered with an error.
TEST(DecideRangeTest, InvalidHeadersAreIgnored) {
  ExpectDecisions({
      {"bytes=500-400", 1000, RangeOutcome::kWholeBody},  // first > last
      {"bytes=2000-1000", 1000, RangeOutcome::kWholeBody},
      {"items=0-9", 1000, RangeOutcome::kWholeBody},
      {"bytes 0-9", 1000, RangeOutcome::kWholeBody},
      {"bytes=", 1000, RangeOutcome::kWholeBody},
      {"bytes=-", 1000, RangeOutcome::kWholeBody},
      {"bytes=a-b", 1000, RangeOutcome::kWholeBody},
      {"bytes=1-2-3", 1000, RangeOutcome::kWholeBody},
      {"bytes=+1-2", 1000, RangeOutcome::kWholeBody},
      {"bytes= 1-2x", 1000, RangeOutcome::kWholeBody},
      {"bytes=1 -2", 1000, RangeOutcome::kWholeBody},
      {"bytes=--1", 1000, RangeOutcome::kWholeBody},
      {"=0-1", 1000, RangeOutcome::kWholeBody},
  });
}

// Numbers beyond 64 bits are ignored instead of wrapping around.
TEST(DecideRangeTest, OverflowIsIgnored) {
  ExpectDecisions({
      {"bytes=18446744073709551616-", 1000, RangeOutcome::kWholeBody},
      {"bytes=0-18446744073709551616", 1000, RangeOutcome::kWholeBody},
      {"bytes=-99999999999999999999999", 1000, RangeOutcome::kWholeBody},
  });
}

// Multiple ranges are answered with the whole body; empty list elements do not count.
TEST(DecideRangeTest, MultipleRangesAreWholeBody) {
  ExpectDecisions({
      {"bytes=0-1,5-6", 1000, RangeOutcome::kWholeBody},
      {"bytes=0-1, -5", 1000, RangeOutcome::kWholeBody},
      {"bytes=, 0-1 ,", 1000, RangeOutcome::kPartial, 0, 1},
      {"bytes=,,", 1000, RangeOutcome::kWholeBody},
  });
}

// Content-Range of a 206 names the range and the full size.
TEST(ContentRangeHeaderTest, FormatsRange) {
  EXPECT_EQ(ContentRangeHeader({0, 99}, 1000), "bytes 0-99/1000");
  EXPECT_EQ(ContentRangeHeader({999, 999}, 1000), "bytes 999-999/1000");
}

// Content-Range of a 416 names only the size.
TEST(UnsatisfiedRangeHeaderTest, FormatsSize) {
  EXPECT_EQ(UnsatisfiedRangeHeader(1000), "bytes */1000");
  EXPECT_EQ(UnsatisfiedRangeHeader(0), "bytes */0");
}

}  // namespace
}  // namespace tollgate::gateway
