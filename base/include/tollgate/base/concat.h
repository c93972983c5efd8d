// String building that works with Debian's abseil 20220623, where absl::string_view is a
// type of its own (not std::string_view), so absl::StrCat rejects std::string_view.
#pragma once

#include <charconv>
#include <string>
#include <string_view>
#include <type_traits>

#include "absl/strings/string_view.h"

namespace tollgate {

// The bytes of an abseil string view as a std::string_view (e.g. absl::Status::message()).
inline std::string_view ToStd(absl::string_view text) { return {text.data(), text.size()}; }

namespace concat_internal {

template <typename Part>
void Append(std::string& out, const Part& part) {
  if constexpr (std::is_same_v<Part, char>) {
    out.push_back(part);
  } else if constexpr (std::is_integral_v<Part>) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, part);
    out.append(digits, result.ptr);
  } else if constexpr (std::is_convertible_v<const Part&, std::string_view>) {
    out.append(std::string_view(part));
  } else {
    out.append(ToStd(absl::string_view(part)));
  }
}

// At least the bytes Append adds for `part`: a string is sized once, not grown per part.
template <typename Part>
size_t MaxSize(const Part& part) {
  if constexpr (std::is_same_v<Part, char>) {
    return 1;
  } else if constexpr (std::is_integral_v<Part>) {
    return 20;  // digits of the widest 64-bit value, with its sign
  } else if constexpr (std::is_convertible_v<const Part&, std::string_view>) {
    return std::string_view(part).size();
  } else {
    return absl::string_view(part).size();
  }
}

}  // namespace concat_internal

// Concatenates strings of any view type, chars and integers.
template <typename... Parts>
std::string Concat(const Parts&... parts) {
  std::string out;
  out.reserve((size_t{0} + ... + concat_internal::MaxSize(parts)));
  (concat_internal::Append(out, parts), ...);
  return out;
}

// Appends to `out` as Concat would build.
template <typename... Parts>
void AppendTo(std::string& out, const Parts&... parts) {
  (concat_internal::Append(out, parts), ...);
}

}  // namespace tollgate
