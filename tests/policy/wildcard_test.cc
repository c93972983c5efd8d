// Tests of wildcard and path-pattern matching used by scope queries.
#include "wildcard.h"

#include <string>

#include "gtest/gtest.h"

namespace tollgate::policy {
namespace {

// `*` matches any run including empty, `?` exactly one character, anchored at both ends.
TEST(WildcardTest, StarAndQuestionMark) {
  EXPECT_TRUE(WildcardMatch("*", "", false));
  EXPECT_TRUE(WildcardMatch("a*", "a", false));
  EXPECT_TRUE(WildcardMatch("a*c", "abbbc", false));
  EXPECT_FALSE(WildcardMatch("a*c", "abbbcd", false));
  EXPECT_TRUE(WildcardMatch("*c*", "abcd", false));
  EXPECT_TRUE(WildcardMatch("a?c", "abc", false));
  EXPECT_FALSE(WildcardMatch("a?c", "ac", false));
  EXPECT_TRUE(WildcardMatch("a**b", "axxb", false));
  EXPECT_FALSE(WildcardMatch("abc", "ab", false));
  EXPECT_TRUE(WildcardMatch("*a*a*a*", "banana-a", false));
}

// Case folding applies only when asked.
TEST(WildcardTest, CaseFolding) {
  EXPECT_TRUE(WildcardMatch("Agent*", "agent-x", true));
  EXPECT_FALSE(WildcardMatch("Agent*", "agent-x", false));
}

// A pathological pattern stays linear-ish instead of exploding.
TEST(WildcardTest, ManyStarsAreCheap) {
  const std::string text(2000, 'a');
  EXPECT_FALSE(WildcardMatch("*a*a*a*a*a*a*a*a*a*b", text, false));
}

// Path patterns: `*` stays inside a segment, a `**` segment spans zero or more segments.
TEST(PathPatternTest, SegmentsAndGlobstar) {
  EXPECT_TRUE(PathPatternMatch("a/*/c", "a/b/c"));
  EXPECT_FALSE(PathPatternMatch("a/*", "a/b/c"));
  EXPECT_TRUE(PathPatternMatch("a/**", "a/b/c"));
  EXPECT_TRUE(PathPatternMatch("a/**/c", "a/c"));
  EXPECT_TRUE(PathPatternMatch("a/**/c", "a/x/y/c"));
  EXPECT_FALSE(PathPatternMatch("a/**/c", "a/x/y/d"));
  EXPECT_TRUE(PathPatternMatch("**", "x"));
  EXPECT_TRUE(PathPatternMatch("**/*.deb", "pool/m/a.deb"));
  EXPECT_FALSE(PathPatternMatch("pool", "pool/a.deb"));
  EXPECT_FALSE(PathPatternMatch("pool/a.deb/x", "pool/a.deb"));
  EXPECT_TRUE(PathPatternMatch("**/b/**", "a/b/c"));
  EXPECT_FALSE(PathPatternMatch("**/b/**", "a/c"));
}

// Several `**` segments backtrack correctly: each may take any number of segments.
TEST(PathPatternTest, SeveralGlobstars) {
  EXPECT_TRUE(PathPatternMatch("**/a/**/b", "x/a/y/a/z/b"));
  EXPECT_TRUE(PathPatternMatch("a/**/b/**/c", "a/b/c"));
  EXPECT_TRUE(PathPatternMatch("a/**/b", "a/b/b"));
  EXPECT_FALSE(PathPatternMatch("**/b", "b/b/c"));
  EXPECT_TRUE(PathPatternMatch("**/**/**", "a"));
  EXPECT_TRUE(PathPatternMatch("a/", "a"));  // a trailing slash adds no segment
  EXPECT_FALSE(PathPatternMatch("", "a"));
}

// The query that used to take exponential time (22 `**` then a segment that never matches, on a
// 14-folder path) answers, and right: without the `z` segment there is no match.
TEST(PathPatternTest, ManyGlobstarsOnADeepPath) {
  std::string pattern;
  for (int i = 0; i < 22; ++i) pattern += "**/";
  const std::string deep = "a/b/c/d/e/f/g/h/i/j/k/l/m/n/file.deb";
  EXPECT_FALSE(PathPatternMatch(pattern + "z", deep));
  EXPECT_TRUE(PathPatternMatch(pattern + "z", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/z"));
  EXPECT_TRUE(PathPatternMatch(pattern + "*.deb", deep));
}

// Case-insensitive containment and equality.
TEST(WildcardTest, FoldedHelpers) {
  EXPECT_TRUE(ContainsFolded("Agent-Tools", "tool"));
  EXPECT_FALSE(ContainsFolded("ag", "agent"));
  EXPECT_TRUE(EqualsFolded("DEB", "deb"));
  EXPECT_FALSE(EqualsFolded("deb", "debs"));
}

}  // namespace
}  // namespace tollgate::policy
