// Iterative wildcard matching with single-star backtracking (the classic linear algorithm),
// and segment-wise path matching on top of it.
#include "wildcard.h"

#include "tollgate/base/text.h"

namespace tollgate::policy {
namespace {

char Fold(char c, bool fold_case) { return fold_case ? ToLowerAscii(c) : c; }

std::string_view FirstSegment(std::string_view path) { return path.substr(0, path.find('/')); }

std::string_view AfterFirstSegment(std::string_view path) {
  const size_t slash = path.find('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
}

// Matches pattern segments against path segments; `**` backtracks over path segments.
// Paths are short (a handful of segments), so recursion depth stays small.
bool MatchSegments(std::string_view pattern, std::string_view path, bool path_done) {
  while (!pattern.empty()) {
    const std::string_view segment = FirstSegment(pattern);
    const std::string_view rest = AfterFirstSegment(pattern);
    const bool pattern_last = segment.size() == pattern.size();
    if (segment == "**") {
      if (pattern_last) return true;  // trailing ** takes whatever is left
      // Try the remaining pattern at every later segment boundary of the path.
      for (std::string_view tail = path;; tail = AfterFirstSegment(tail)) {
        if (MatchSegments(rest, tail, path_done || tail.empty())) return true;
        if (tail.find('/') == std::string_view::npos) return false;
      }
    }
    if (path_done) return false;
    const std::string_view path_segment = FirstSegment(path);
    if (!WildcardMatch(segment, path_segment, /*fold_case=*/false)) return false;
    const bool path_last = path_segment.size() == path.size();
    if (pattern_last) return path_last;
    path = AfterFirstSegment(path);
    path_done = path_last;
    pattern = rest;
  }
  return path_done || path.empty();
}

}  // namespace

bool WildcardMatch(std::string_view pattern, std::string_view text, bool fold_case) {
  size_t p = 0;
  size_t t = 0;
  size_t star = std::string_view::npos;  // position after the last '*' seen
  size_t star_text = 0;                  // text position that star currently covers up to
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = ++p;
      star_text = t;
    } else if (p < pattern.size() &&
               (pattern[p] == '?' || Fold(pattern[p], fold_case) == Fold(text[t], fold_case))) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star;  // let the last star swallow one more character
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool PathPatternMatch(std::string_view pattern, std::string_view path) {
  return MatchSegments(pattern, path, /*path_done=*/false);
}

bool ContainsFolded(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (size_t start = 0; start + needle.size() <= text.size(); ++start) {
    if (EqualsIgnoreCase(text.substr(start, needle.size()), needle)) return true;
  }
  return false;
}

bool EqualsFolded(std::string_view a, std::string_view b) { return EqualsIgnoreCase(a, b); }

}  // namespace tollgate::policy
