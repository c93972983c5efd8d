// Tests of the org role names that the stores write and the admin API shows.
#include <gtest/gtest.h>

#include <optional>
#include <string_view>

#include "tollgate/policy/org_directory.h"

namespace tollgate::policy {
namespace {

// Each role has its own lowercase name.
TEST(OrgRoleNameTest, NamesEachRole) {
  EXPECT_EQ(OrgRoleName(OrgRole::kOwner), "owner");
  EXPECT_EQ(OrgRoleName(OrgRole::kManager), "manager");
  EXPECT_EQ(OrgRoleName(OrgRole::kMember), "member");
}

// Parsing a role's name gives the role back.
TEST(ParseOrgRoleTest, RoundTripsEveryName) {
  for (OrgRole role : {OrgRole::kOwner, OrgRole::kManager, OrgRole::kMember}) {
    EXPECT_EQ(ParseOrgRole(OrgRoleName(role)), std::optional<OrgRole>(role));
  }
}

// Only the exact names parse: no other case, padding, or unknown role.
TEST(ParseOrgRoleTest, RefusesOtherSpellings) {
  for (std::string_view name : {"", "Owner", "OWNER", " owner", "owner ", "admin", "members"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(ParseOrgRole(name), std::nullopt);
  }
}

}  // namespace
}  // namespace tollgate::policy
