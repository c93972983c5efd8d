// ASCII text helpers for protocol tokens and config values: case-insensitive comparison and
// whitespace trimming on std::string_view (Debian's abseil 20220623 takes only its own
// absl::string_view). None allocates; non-ASCII bytes compare as themselves.
#pragma once

#include <string_view>

namespace tollgate {

// HTTP's optional whitespace (RFC 9110 §5.6.3): space and horizontal tab.
inline constexpr std::string_view kHttpWhitespace = " \t";

// `c` with A–Z mapped to a–z; any other byte unchanged.
constexpr char ToLowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// True when `a` and `b` are equal ignoring ASCII case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// `text` without the characters of `whitespace` at either end; empty when it is all
// whitespace. The result views `text`.
std::string_view TrimWhitespace(std::string_view text,
                                std::string_view whitespace = kHttpWhitespace);

}  // namespace tollgate
