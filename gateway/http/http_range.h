// Single-range requests (RFC 9110 §14): what to send for a Range header, and the
// Content-Range values that go with it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tollgate::gateway {

struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;  // inclusive
};

enum class RangeOutcome { kWholeBody, kPartial, kUnsatisfiable };

struct RangeDecision {
  RangeOutcome outcome = RangeOutcome::kWholeBody;
  ByteRange range;  // meaningful for kPartial only
};

// Decides how to answer `range_header` for a body of `size` bytes. Never fails: a header that
// is empty, malformed, in another unit, asks for several ranges, overflows, or has first > last
// is ignored (kWholeBody), as RFC 9110 allows. kUnsatisfiable means 416: a first byte at or
// past the end, or a zero-length suffix.
RangeDecision DecideRange(std::string_view range_header, uint64_t size);

// "bytes 0-99/1000": the Content-Range of a 206.
std::string ContentRangeHeader(ByteRange range, uint64_t size);

// "bytes */1000": the Content-Range of a 416.
std::string UnsatisfiedRangeHeader(uint64_t size);

}  // namespace tollgate::gateway
