// Tests of the slug syntax shared by orgs, repositories and accounts.
#include "tollgate/policy/slug.h"

#include <initializer_list>
#include <string>

#include "gtest/gtest.h"

namespace tollgate::policy {
namespace {

// Letters, digits, '.', '_' and '-' after a leading letter or digit make a slug.
TEST(IsValidSlugTest, AcceptsSlugs) {
  for (std::string_view slug :
       {"a", "7", "acme", "Acme", "my-repo", "a.b_c-d", "a..", "x-", "ubuntu22.04"}) {
    SCOPED_TRACE(slug);
    EXPECT_TRUE(IsValidSlug(slug));
  }
}

// 64 characters is the longest slug.
TEST(IsValidSlugTest, LengthLimit) {
  EXPECT_TRUE(IsValidSlug(std::string(64, 'a')));
  EXPECT_FALSE(IsValidSlug(std::string(65, 'a')));
  EXPECT_FALSE(IsValidSlug(""));
}

// Anything that could be a dot segment, a path separator or need escaping is refused.
TEST(IsValidSlugTest, RefusesUnsafeNames) {
  for (std::string_view slug : std::initializer_list<std::string_view>{
           ".", "..", ".hidden", "-x", "_x", "a/b", "a\\b", "a b", "a%2f", "a:b", "a@b", "\xC3\xA4",
           std::string_view("a\0b", 3), "a\n"}) {
    SCOPED_TRACE(slug);
    EXPECT_FALSE(IsValidSlug(slug));
  }
}

// A display name becomes a lowercase slug with one '-' for each run of other characters.
TEST(SlugFromNameTest, DerivesSlugs) {
  EXPECT_EQ(SlugFromName("CI Pipeline"), "ci-pipeline");
  EXPECT_EQ(SlugFromName("  Deploy -- bot!  "), "deploy-bot");
  EXPECT_EQ(SlugFromName("release_2.0"), "release-2-0");
  EXPECT_TRUE(IsValidSlug(SlugFromName("Über Build")));
}

// Names without a letter or digit give no slug, and long names are cut to 64 characters.
TEST(SlugFromNameTest, EmptyAndLongNames) {
  EXPECT_EQ(SlugFromName("!!!"), "");
  EXPECT_EQ(SlugFromName(std::string(70, 'x')), std::string(64, 'x'));
  EXPECT_EQ(SlugFromName(std::string(63, 'x') + " y"), std::string(63, 'x'));
}

}  // namespace
}  // namespace tollgate::policy
