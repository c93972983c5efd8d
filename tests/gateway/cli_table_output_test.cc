// Tests of the client's human output: aligned columns, field lists, the once-shown API key.
#include "boost/json/parse.hpp"
#include "cli/table_output.h"
#include "gtest/gtest.h"

namespace tollgate::gateway::cli {
namespace {

namespace json = boost::json;

std::string Render(std::string_view answer, const std::vector<ColumnSpec>& columns = {}) {
  return RenderTable(json::parse(answer), columns);
}

// A list is a header row and one aligned row per item, under the verb's columns.
TEST(RenderTableTest, ListAlignsColumns) {
  EXPECT_EQ(Render(R"([{"slug": "agents", "repository_type": "private", "extra": 1},
                       {"slug": "a", "repository_type": "public"}])",
                   {{"SLUG", "slug"}, {"TYPE", "repository_type"}}),
            "SLUG    TYPE\n"
            "agents  private\n"
            "a       public\n");
}

// Columns may reach into nested objects; null and missing values show as "-".
TEST(RenderTableTest, NestedFieldsAndNulls) {
  EXPECT_EQ(Render(R"([{"name": "a", "usage": {"downloads": 3}, "limit": null},
                       {"name": "bb", "limit": 10}])",
                   {{"NAME", "name"}, {"DOWNLOADS", "usage.downloads"}, {"LIMIT", "limit"}}),
            "NAME  DOWNLOADS  LIMIT\n"
            "a     3          -\n"
            "bb    -          10\n");
}

// A column that no item has (tokens not asked for) is left out.
TEST(RenderTableTest, DropsColumnsNoItemHas) {
  EXPECT_EQ(Render(R"([{"name": "a"}])", {{"NAME", "name"}, {"TOKEN", "token"}}), "NAME\na\n");
}

// Without columns from the verb, every field of the items is a column.
TEST(RenderTableTest, ListWithoutColumnsShowsAllFields) {
  EXPECT_EQ(Render(R"([{"at": "t1", "action": "create"}, {"at": "t2", "who": "admin"}])"),
            "AT  ACTION  WHO\n"
            "t1  create  -\n"
            "t2  -       admin\n");
}

// Text of several lines, such as a public key block, follows the field list line by line,
// with control characters other than line breaks shown as '?'.
TEST(RenderTableTest, TextOfSeveralLinesIsABlock) {
  EXPECT_EQ(Render(R"({"public_key": "-----BEGIN-----\nAB\u001bCD\n-----END-----",
                       "fingerprint": "F00D"})"),
            "fingerprint  F00D\n"
            "\n"
            "public_key:\n"
            "-----BEGIN-----\n"
            "AB?CD\n"
            "-----END-----\n");
}

// An empty list says so.
TEST(RenderTableTest, EmptyList) { EXPECT_EQ(Render("[]"), "(none)\n"); }

// An object is a list of aligned "field value" lines; nested values are flattened.
TEST(RenderTableTest, ObjectAsFieldList) {
  EXPECT_EQ(Render(R"({"slug": "agents", "storage": {"type": "fs"}, "teams": ["a", "b"],
                       "is_active": true, "user": null})"),
            "slug       agents\n"
            "storage    type=fs\n"
            "teams      a, b\n"
            "is_active  true\n"
            "user       -\n");
}

// An array of objects inside an object (usage events) becomes a table below the fields.
TEST(RenderTableTest, ObjectWithNestedTable) {
  EXPECT_EQ(Render(R"({"downloads": 1, "events": [{"path": "a.deb", "status": 200}]})"),
            "downloads  1\n"
            "\n"
            "EVENTS:\n"
            "PATH   STATUS\n"
            "a.deb  200\n");
}

// A new API key is set apart at the end with a notice that it is shown only now.
TEST(RenderTableTest, KeyShownOnceWithNotice) {
  EXPECT_EQ(Render(R"({"slug": "ci", "key": "k-123"})"),
            "slug  ci\n"
            "\n"
            "API key (shown only this once; store it now, it cannot be shown again):\n"
            "k-123\n");
}

// Control characters from the server cannot reach the terminal.
TEST(RenderTableTest, ReplacesControlCharacters) {
  EXPECT_EQ(Render(R"([{"name": "a\u001b[2Jb\nc"}])", {{"NAME", "name"}}), "NAME\na?[2Jb?c\n");
}

// Multi-byte UTF-8 counts as one column per character when aligning.
TEST(RenderTableTest, AlignsUtf8ByCharacters) {
  EXPECT_EQ(Render(R"([{"n": "ünï", "v": 1}, {"n": "abcd", "v": 2}])", {{"N", "n"}, {"V", "v"}}),
            "N     V\n"
            "ünï   1\n"
            "abcd  2\n");
}

// Team members render as readable pairs in one cell.
TEST(CellTextTest, ArraysOfObjects) {
  EXPECT_EQ(CellText(json::parse(R"([{"kind": "user", "name": "alice"}, {"kind": "service",
                                     "name": "ci"}])")),
            "kind=user name=alice, kind=service name=ci");
  EXPECT_EQ(CellText(json::parse("[]")), "-");
}

}  // namespace
}  // namespace tollgate::gateway::cli
