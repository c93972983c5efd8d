// Tests of the views' text helpers: percent-encoding, and which text a document can carry.
#include "common/web_text.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace tollgate::formats {
namespace {

// Unreserved characters and '/' stay; every other byte is %XX.
TEST(AppendUrlPathTest, EncodesAllButUnreserved) {
  std::string out;
  AppendUrlPath(out, "a/b-c._~ d%#?\xff");
  EXPECT_EQ(out, "a/b-c._~%20d%25%23%3F%FF");
}

// Printable ASCII and well-formed UTF-8 of every length pass.
TEST(IsPrintableUtf8Test, AcceptsText) {
  for (std::string_view text :
       {"", "1.0.0-RC1", "a b&<>'\"~", "ä", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc2\xa0",
        "\xef\xbf\xbd", "\xf4\x8f\xbf\xbd"}) {
    EXPECT_TRUE(IsPrintableUtf8(text)) << text;
  }
}

// Control characters of C0, DEL and C1 fail, tab and line breaks included.
TEST(IsPrintableUtf8Test, RefusesControls) {
  for (std::string_view text :
       {"a\tb", "a\nb", "a\rb", "\x01", "\x1b[31m", "\x7f", "\xc2\x80", "\xc2\x9f"}) {
    EXPECT_FALSE(IsPrintableUtf8(text)) << testing::PrintToString(text);
  }
  EXPECT_FALSE(IsPrintableUtf8(std::string_view("a\0b", 3)));
}

// Malformed UTF-8 fails: stray continuations, truncated sequences, overlong forms, surrogates,
// code points past U+10FFFF, bytes that never lead, and U+FFFE/U+FFFF.
TEST(IsPrintableUtf8Test, RefusesMalformedUtf8) {
  for (std::string_view text :
       {"\x80", "a\xbf", "\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xc3\x28", "\xc0\xaf", "\xc1\xbf",
        "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xed\xa0\x80", "\xed\xbf\xbf", "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80", "\xf8\x88\x80\x80\x80", "\xfe", "\xff", "\xef\xbf\xbe",
        "\xef\xbf\xbf"}) {
    EXPECT_FALSE(IsPrintableUtf8(text)) << testing::PrintToString(text);
  }
}

}  // namespace
}  // namespace tollgate::formats
