// Iterative wildcard matching with single-star backtracking (the classic algorithm), for
// characters within a value and for segments within a path.
#include "wildcard.h"

#include <optional>

#include "tollgate/base/text.h"

namespace tollgate::policy {
namespace {

char Fold(char c, bool fold_case) { return fold_case ? ToLowerAscii(c) : c; }

// Walks the '/'-separated segments of a pattern or a path. A trailing '/' ends the walk (it adds
// no empty last segment), and "" has no segments.
class Segments {
 public:
  explicit Segments(std::string_view text) : rest_(text) {}

  bool done() const { return rest_.empty(); }
  std::string_view front() const { return rest_.substr(0, rest_.find('/')); }
  void Next() {
    const size_t slash = rest_.find('/');
    rest_ = slash == std::string_view::npos ? std::string_view{} : rest_.substr(slash + 1);
  }

 private:
  std::string_view rest_;
};

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
  // The same single-star backtracking as WildcardMatch, one level up: segments instead of
  // characters, "**" instead of '*', and a segment test instead of a character test. Only the
  // last "**" seen is ever retried (any earlier one could have matched as much), each retry
  // moves its start one path segment on, so no input makes this more than
  // O(pattern segments × path segments) segment tests.
  Segments p(pattern);
  Segments t(path);
  std::optional<Segments> star;  // the pattern after the last "**" seen
  Segments star_path(path);      // where that "**" stops matching; it covers the path before
  while (!t.done()) {
    if (!p.done() && p.front() == "**") {
      p.Next();
      star = p;
      star_path = t;
    } else if (!p.done() && WildcardMatch(p.front(), t.front(), /*fold_case=*/false)) {
      p.Next();
      t.Next();
    } else if (star) {
      star_path.Next();  // let the last "**" take one more segment
      t = star_path;
      p = *star;
    } else {
      return false;
    }
  }
  while (!p.done() && p.front() == "**") p.Next();
  return p.done();
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
