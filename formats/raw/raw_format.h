// Raw files: anything that is not an index file and has no other format's shape. Their
// version order, the natural one, is also every format's fallback for malformed versions.
#pragma once

#include <optional>
#include <string_view>

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

// Numeric runs compared as numbers, text runs case-insensitively ("1.10" > "1.9").
int CompareNaturalVersions(std::string_view a, std::string_view b);

// Orders two optionally-parsed versions so that the result stays a total order over any mix:
// a malformed version sorts below every well-formed one, and malformed ones among themselves
// in natural order. (Falling back to natural order only when one side is malformed would
// break transitivity: natural order puts "1.0.0-rc.1" above "1.0.0".)
template <typename Parsed, typename Compare>
int CompareWithFallback(std::string_view a, std::string_view b, const std::optional<Parsed>& pa,
                        const std::optional<Parsed>& pb, Compare compare) {
  if (pa && pb) return compare(*pa, *pb);
  if (pa || pb) return pa ? 1 : -1;
  return CompareNaturalVersions(a, b);
}

const Format& RawFormat();

}  // namespace tollgate::formats
