// Wildcard matching for scope queries: `*` and `?` in plain values, and path patterns where
// `*` stays inside one segment and a `**` segment spans any number of segments.
#pragma once

#include <string_view>

namespace tollgate::policy {

// Whole-string match of `text` against `pattern` (`*` any run, `?` one character), ASCII
// case-insensitive when `fold_case`. Allocation-free, O(|pattern|·|text|) at worst.
bool WildcardMatch(std::string_view pattern, std::string_view text, bool fold_case);

// Whole-path match, anchored at both ends: pattern and path are split at '/', a pattern
// segment "**" matches zero or more path segments, any other segment matches exactly one
// path segment by WildcardMatch (case-sensitive). Allocation-free.
bool PathPatternMatch(std::string_view pattern, std::string_view path);

// True when `text` contains `needle`, ASCII case-insensitively.
bool ContainsFolded(std::string_view text, std::string_view needle);

// ASCII case-insensitive equality.
bool EqualsFolded(std::string_view a, std::string_view b);

}  // namespace tollgate::policy
