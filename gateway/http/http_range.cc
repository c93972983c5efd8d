// Range header parsing and the single-range decision (RFC 9110 §14.1–14.4).
#include "http/http_range.h"

#include <algorithm>
#include <limits>
#include <optional>

#include "absl/strings/str_cat.h"
#include "tollgate/base/text.h"

namespace tollgate::gateway {
namespace {

// 1*DIGIT; nullopt when empty, not all digits, or above UINT64_MAX.
std::optional<uint64_t> ParseDigits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// The one non-empty element of a range-set, or nullopt when there are none or several
// (list elements may be empty and surrounded by whitespace, RFC 9110 §5.6.1).
std::optional<std::string_view> SoleRangeSpec(std::string_view set) {
  std::optional<std::string_view> sole;
  while (true) {
    const size_t comma = set.find(',');
    const std::string_view element = TrimWhitespace(set.substr(0, comma));
    if (!element.empty()) {
      if (sole) return std::nullopt;
      sole = element;
    }
    if (comma == std::string_view::npos) return sole;
    set.remove_prefix(comma + 1);
  }
}

}  // namespace

RangeDecision DecideRange(std::string_view range_header, uint64_t size) {
  const RangeDecision whole;
  const std::string_view value = TrimWhitespace(range_header);
  const size_t equals = value.find('=');
  if (equals == std::string_view::npos || !EqualsIgnoreCase(value.substr(0, equals), "bytes")) {
    return whole;
  }
  const std::optional<std::string_view> spec = SoleRangeSpec(value.substr(equals + 1));
  if (!spec) return whole;
  const size_t dash = spec->find('-');
  if (dash == std::string_view::npos) return whole;
  const std::string_view first_text = spec->substr(0, dash);
  const std::string_view last_text = spec->substr(dash + 1);

  if (first_text.empty()) {
    const std::optional<uint64_t> suffix = ParseDigits(last_text);
    if (!suffix) return whole;
    if (*suffix == 0) return {RangeOutcome::kUnsatisfiable, {}};
    // An empty body has no byte positions to name in Content-Range; send it whole.
    if (size == 0) return whole;
    const uint64_t first = *suffix >= size ? 0 : size - *suffix;
    return {RangeOutcome::kPartial, {first, size - 1}};
  }

  const std::optional<uint64_t> first = ParseDigits(first_text);
  if (!first) return whole;
  uint64_t last = std::numeric_limits<uint64_t>::max();
  if (!last_text.empty()) {
    const std::optional<uint64_t> parsed = ParseDigits(last_text);
    if (!parsed || *parsed < *first) return whole;
    last = *parsed;
  }
  if (*first >= size) return {RangeOutcome::kUnsatisfiable, {}};
  return {RangeOutcome::kPartial, {*first, std::min(last, size - 1)}};
}

std::string ContentRangeHeader(ByteRange range, uint64_t size) {
  return absl::StrCat("bytes ", range.first, "-", range.last, "/", size);
}

std::string UnsatisfiedRangeHeader(uint64_t size) { return absl::StrCat("bytes */", size); }

}  // namespace tollgate::gateway
