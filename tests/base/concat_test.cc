// Concat and WriteHex: every kind of part, at the edges of its range.
#include "tollgate/base/concat.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "tollgate/base/hex.h"

namespace tollgate {
namespace {

// Strings of every view type, chars and integers of every width, the widest values included.
TEST(ConcatTest, JoinsEveryKindOfPart) {
  const std::string text = "text";
  EXPECT_EQ(Concat("a", std::string_view("b"), absl::string_view("c"), text, 'd'), "abctextd");
  EXPECT_EQ(Concat(std::numeric_limits<int64_t>::min(), '|', std::numeric_limits<uint64_t>::max(),
                   '|', int8_t{-7}, '|', 0u),
            "-9223372036854775808|18446744073709551615|-7|0");
  EXPECT_EQ(Concat(), "");
  const std::string long_part(1000, 'x');
  EXPECT_EQ(Concat(long_part, 1, long_part).size(), 2001u);
}

// Appending keeps what is there.
TEST(ConcatTest, AppendToKeepsThePrefix) {
  std::string out = "key:";
  AppendTo(out, "usage:", 42, ':', std::string_view("p"));
  EXPECT_EQ(out, "key:usage:42:p");
}

TEST(WriteHexTest, LowercaseTwoCharactersPerByte) {
  const unsigned char bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
  char out[12];
  WriteHex(bytes, sizeof bytes, out);
  EXPECT_EQ(std::string_view(out, sizeof out), "00017f80abff");
}

}  // namespace
}  // namespace tollgate
