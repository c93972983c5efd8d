// Tests of the ASCII text helpers shared by the HTTP parsers, the config reader and policy.
#include "tollgate/base/text.h"

#include <string_view>

#include "gtest/gtest.h"

namespace tollgate {
namespace {

// Only A–Z fold; other bytes, including non-ASCII ones, stay as they are.
TEST(ToLowerAsciiTest, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(ToLowerAscii('A'), 'a');
  EXPECT_EQ(ToLowerAscii('Z'), 'z');
  EXPECT_EQ(ToLowerAscii('a'), 'a');
  EXPECT_EQ(ToLowerAscii('@'), '@');
  EXPECT_EQ(ToLowerAscii('['), '[');
  EXPECT_EQ(ToLowerAscii('\xC4'), '\xC4');
}

// Strings that differ only in ASCII case are equal.
TEST(EqualsIgnoreCaseTest, IgnoresAsciiCase) {
  EXPECT_TRUE(EqualsIgnoreCase("Bearer", "bEARER"));
  EXPECT_TRUE(EqualsIgnoreCase("100-Continue", "100-continue"));
  EXPECT_TRUE(EqualsIgnoreCase("", ""));
}

// Different lengths, letters or non-ASCII case variants are not equal.
TEST(EqualsIgnoreCaseTest, RefusesOtherDifferences) {
  EXPECT_FALSE(EqualsIgnoreCase("bytes", "byte"));
  EXPECT_FALSE(EqualsIgnoreCase("byte", "bytes"));
  EXPECT_FALSE(EqualsIgnoreCase("basic", "basik"));
  EXPECT_FALSE(EqualsIgnoreCase("@", "`"));                // 0x40 and 0x60 are not a case pair
  EXPECT_FALSE(EqualsIgnoreCase("\xC3\xA4", "\xC3\x84"));  // ä and Ä in UTF-8
}

// By default spaces and tabs go from both ends, and nothing inside.
TEST(TrimWhitespaceTest, TrimsHttpWhitespace) {
  EXPECT_EQ(TrimWhitespace(" \t bytes=0-1 \t"), "bytes=0-1");
  EXPECT_EQ(TrimWhitespace("a b"), "a b");
  EXPECT_EQ(TrimWhitespace("x\r"), "x\r");
  EXPECT_EQ(TrimWhitespace(" \t "), "");
  EXPECT_EQ(TrimWhitespace(""), "");
}

// A caller may name its own blanks, such as '\r' of CRLF lines.
TEST(TrimWhitespaceTest, TrimsTheGivenCharacters) {
  EXPECT_EQ(TrimWhitespace(" name = value\r", " \t\r"), "name = value");
  EXPECT_EQ(TrimWhitespace("--x--", "-"), "x");
}

// The result views the argument rather than a copy.
TEST(TrimWhitespaceTest, ViewsTheInput) {
  constexpr std::string_view kText = "  abc ";
  const std::string_view trimmed = TrimWhitespace(kText);
  EXPECT_EQ(trimmed.data(), kText.data() + 2);
  EXPECT_EQ(trimmed.size(), 3u);
}

}  // namespace
}  // namespace tollgate
