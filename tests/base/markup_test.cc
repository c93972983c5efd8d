// Escaping text for HTML, XML and SVG.
#include "tollgate/base/markup.h"

#include <string>

#include "gtest/gtest.h"

namespace tollgate {
namespace {

// The five markup characters become references; everything else stays.
TEST(AppendHtmlEscapedTest, EscapesMarkup) {
  std::string out = "x";
  AppendHtmlEscaped(out, "a&b<c>d\"e'f ä");
  EXPECT_EQ(out, "xa&amp;b&lt;c&gt;d&quot;e&#39;f ä");
  EXPECT_EQ(HtmlEscaped("<b>&'\""), "&lt;b&gt;&amp;&#39;&quot;");
}

}  // namespace
}  // namespace tollgate
