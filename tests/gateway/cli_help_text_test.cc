// Tests of the client's help pages, which are generated from the verb table.
#include "cli/help_text.h"
#include "gtest/gtest.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::cli {
namespace {

// The group's help names every verb of the group with its arguments.
TEST(HelpTextTest, GroupHelpListsEveryVerb) {
  const std::string help = GroupHelp(*FindGroup("ents"));
  for (const VerbSpec* verb : VerbsOf("ents")) {
    EXPECT_NE(help.find(Concat("  ", verb->name, " OWNER/REPO")), std::string::npos)
        << verb->name << "\n"
        << help;
  }
  EXPECT_NE(help.find("--api-key KEY"), std::string::npos);
}

// A verb's usage shows required options bare, optional ones in brackets, lists with "...".
TEST(HelpTextTest, VerbUsageMarksOptions) {
  const std::string usage = VerbUsage(*FindVerb("services", "create"));
  EXPECT_TRUE(usage.starts_with("usage: tollgate services create OWNER --name NAME ")) << usage;
  EXPECT_NE(usage.find("[--team TEAM...]"), std::string::npos) << usage;
  EXPECT_NE(usage.find("[--output table|json]"), std::string::npos) << usage;
}

// Long usages wrap at 100 columns, continuation lines indented under the verb.
TEST(HelpTextTest, VerbUsageWraps) {
  const std::string usage = VerbUsage(*FindVerb("ents", "create"));
  size_t start = 0;
  for (size_t end = usage.find('\n'); end != std::string::npos; end = usage.find('\n', start)) {
    EXPECT_LE(end - start, 100u) << usage.substr(start, end - start);
    start = end + 1;
  }
  EXPECT_NE(usage.find("\n                            [--"), std::string::npos) << usage;
}

// The top-level usage names every group.
TEST(HelpTextTest, ClientUsageNamesGroups) {
  const std::string usage = ClientUsageLines();
  for (const GroupSpec& group : Groups()) {
    EXPECT_NE(usage.find(group.name), std::string::npos) << group.name;
  }
}

}  // namespace
}  // namespace tollgate::gateway::cli
