// Scanning helpers the formats share: ASCII character classes, runs and fields of a
// string_view, numeric runs compared without overflow, and the segments of a path. None
// allocates: identity and version order run on the download path.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsAlpha(char c) { return IsLower(c) || (c >= 'A' && c <= 'Z'); }
inline bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
inline bool IsDot(char c) { return c == '.'; }

// Versions copied from a file or a form may carry any ASCII whitespace around them.
inline constexpr std::string_view kAsciiWhitespace = " \t\n\v\f\r";

inline int Sign(int value) { return (value > 0) - (value < 0); }

// The maximal run at `*pos` of characters satisfying `pred`; advances `*pos` past it.
template <typename Pred>
std::string_view TakeWhile(std::string_view s, size_t* pos, Pred pred) {
  const size_t start = *pos;
  while (*pos < s.size() && pred(s[*pos])) ++*pos;
  return s.substr(start, *pos - start);
}

inline std::string_view TakeDigits(std::string_view s, size_t* pos) {
  return TakeWhile(s, pos, IsDigit);
}

// The next `sep`-separated field of `*rest` (consumed), or empty once `*rest` is exhausted.
template <typename IsSep>
std::string_view NextField(std::string_view* rest, IsSep is_sep) {
  size_t end = 0;
  while (end < rest->size() && !is_sep((*rest)[end])) ++end;
  const std::string_view field = rest->substr(0, end);
  rest->remove_prefix(end < rest->size() ? end + 1 : end);
  return field;
}

bool IsAllDigits(std::string_view s);

// Compares two runs of decimal digits as numbers of any length (so nothing can overflow):
// after dropping leading zeros the longer one is larger, equal lengths compare bytewise. An
// empty run is zero.
int CompareDigitRuns(std::string_view a, std::string_view b);

// Bytewise comparison with ASCII letters folded to lower case.
int CompareFolded(std::string_view a, std::string_view b);

// Removes and returns the last '/'-separated segment of `path`; `path` keeps the folder part
// (empty when there is none).
std::string_view PopSegment(std::string_view& path);

// Calls `visit` with each '/'-separated segment of `path`, first to last, until it returns true.
template <typename Visit>
bool AnySegment(std::string_view path, Visit visit) {
  while (!path.empty()) {
    const size_t slash = path.find('/');
    if (visit(path.substr(0, slash))) return true;
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return false;
}

// `file` without `extension`, when it ends with it.
inline std::optional<std::string_view> StemOf(std::string_view file, std::string_view extension) {
  if (!file.ends_with(extension)) return std::nullopt;
  return file.substr(0, file.size() - extension.size());
}

// The fields every format has; the formats that have an architecture or a group add it.
PackageIdentity MakeIdentity(PackageFormat format, std::string name, std::string version);

}  // namespace tollgate::formats
