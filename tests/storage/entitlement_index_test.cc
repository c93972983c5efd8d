// Tests of the entitlement index itself, below the stores: the cases a replica catching up
// can make (a string held twice in one repository, a token moving between repositories), the
// hash its callers store, and a reload with a new key.
#include "tollgate/storage/index/entitlement_index.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tollgate/storage/secrets.h"

namespace tollgate::storage {
namespace {

EntitlementPtr Token(const std::string& identifier, const std::string& repo,
                     const std::string& token, int64_t created = 0) {
  auto e = std::make_shared<policy::Entitlement>();
  e->identifier = identifier;
  e->org = "acme";
  e->repo = repo;
  e->token = token;
  e->created_at = absl::FromUnixSeconds(1'750'000'000 + created);
  return e;
}

// What tells tokens apart here: a token read back is an expansion of what was put in, equal
// in every field but not the same object.
std::string Describe(const EntitlementPtr& e) {
  return e == nullptr ? "none" : e->identifier + " " + e->repo + " " + e->token;
}

std::vector<std::string> Identifiers(const std::vector<EntitlementPtr>& list) {
  std::vector<std::string> identifiers;
  for (const EntitlementPtr& e : list) identifiers.push_back(e->identifier);
  return identifiers;
}

// HashToken is the full hex KeyedTokenHash the stores keep (Redis keys, database rows).
TEST(EntitlementIndexTest, HashTokenIsTheStoredHexForm) {
  const EntitlementIndex index("key");
  EXPECT_EQ(index.HashToken("token-abc-123"), KeyedTokenHash("key", "token-abc-123"));
  EXPECT_EQ(index.HashToken("token-abc-123").size(), 64u);
}

// A token is found by identifier and by string in its own repository only.
TEST(EntitlementIndexTest, FindsTokensInTheirRepository) {
  EntitlementIndex index("key");
  const EntitlementPtr e1 = Token("e1", "agents", "token-abc-123");
  index.Put(e1);
  EXPECT_EQ(Describe(index.Get("acme", "agents", "e1")), Describe(e1));
  EXPECT_EQ(Describe(index.FindByToken("acme", "agents", "token-abc-123")), Describe(e1));
  EXPECT_EQ(index.Get("acme", "tools", "e1"), nullptr);
  EXPECT_EQ(index.FindByToken("acme", "tools", "token-abc-123"), nullptr);
  EXPECT_EQ(index.FindByToken("acme", "agents", "token-abc-124"), nullptr);
  EXPECT_TRUE(index.ContainsIdentifier("e1"));
  EXPECT_TRUE(index.ContainsToken("token-abc-123"));
  EXPECT_FALSE(index.ContainsToken("token-abc-124"));
}

// Putting a token with a known identifier replaces it, even from another repository, and the
// old string stops resolving.
TEST(EntitlementIndexTest, PutReplacesByIdentifierAcrossRepositories) {
  EntitlementIndex index("key");
  index.Put(Token("e1", "agents", "token-abc-123"));
  const EntitlementPtr moved = Token("e1", "tools", "token-new-456");
  index.Put(moved);
  EXPECT_EQ(index.Get("acme", "agents", "e1"), nullptr);
  EXPECT_EQ(index.List("acme", "agents").size(), 0u);
  EXPECT_EQ(Describe(index.Get("acme", "tools", "e1")), Describe(moved));
  EXPECT_EQ(Describe(index.FindByToken("acme", "tools", "token-new-456")), Describe(moved));
  EXPECT_EQ(index.FindByToken("acme", "agents", "token-abc-123"), nullptr);
  EXPECT_FALSE(index.ContainsToken("token-abc-123"));
}

// Of two tokens of one repository with one string, the last put is found; removing the
// other leaves it found, and removing it forgets the string.
TEST(EntitlementIndexTest, SharedStringInOneRepositoryLastPutWins) {
  EntitlementIndex index("key");
  index.Put(Token("e1", "agents", "token-abc-123"));
  const EntitlementPtr e2 = Token("e2", "agents", "token-abc-123");
  index.Put(e2);
  EXPECT_EQ(Describe(index.FindByToken("acme", "agents", "token-abc-123")), Describe(e2));
  index.Remove("e1");
  EXPECT_EQ(Describe(index.FindByToken("acme", "agents", "token-abc-123")), Describe(e2));
  EXPECT_TRUE(index.ContainsToken("token-abc-123"));
  index.Remove("e2");
  EXPECT_EQ(index.FindByToken("acme", "agents", "token-abc-123"), nullptr);
  EXPECT_FALSE(index.ContainsToken("token-abc-123"));
  EXPECT_FALSE(index.ContainsIdentifier("e2"));
}

// A removed token a reader still holds stays intact.
TEST(EntitlementIndexTest, ReadersKeepRemovedTokens) {
  EntitlementIndex index("key");
  index.Put(Token("e1", "agents", "token-abc-123"));
  const EntitlementPtr held = index.FindByToken("acme", "agents", "token-abc-123");
  index.Remove("e1");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->token, "token-abc-123");
  EXPECT_EQ(index.Get("acme", "agents", "e1"), nullptr);
}

// List orders by creation time, then identifier.
TEST(EntitlementIndexTest, ListsByCreationThenIdentifier) {
  EntitlementIndex index("key");
  index.Put(Token("e3", "agents", "token-ccc-333", 1));
  index.Put(Token("e2", "agents", "token-bbb-222", 2));
  index.Put(Token("e1", "agents", "token-aaa-111", 1));
  index.Put(Token("e4", "tools", "token-ddd-444", 0));
  EXPECT_EQ(Identifiers(index.List("acme", "agents")),
            (std::vector<std::string>{"e1", "e3", "e2"}));
  EXPECT_EQ(index.List("acme", "nope").size(), 0u);
}

// ReplaceRepository swaps one repository's tokens and leaves the others'; empty forgets it.
TEST(EntitlementIndexTest, ReplaceRepositoryTouchesOnlyThatRepository) {
  EntitlementIndex index("key");
  index.Put(Token("e1", "agents", "token-aaa-111"));
  index.Put(Token("e2", "agents", "token-bbb-222"));
  index.Put(Token("e3", "tools", "token-ccc-333"));
  index.ReplaceRepository(
      "acme", "agents",
      {Token("e2", "agents", "token-bbb-999"), Token("e4", "agents", "token-ddd-444")});
  EXPECT_EQ(Identifiers(index.List("acme", "agents")), (std::vector<std::string>{"e2", "e4"}));
  EXPECT_FALSE(index.ContainsIdentifier("e1"));
  EXPECT_FALSE(index.ContainsToken("token-aaa-111"));
  EXPECT_FALSE(index.ContainsToken("token-bbb-222"));
  EXPECT_NE(index.FindByToken("acme", "agents", "token-bbb-999"), nullptr);
  EXPECT_NE(index.FindByToken("acme", "tools", "token-ccc-333"), nullptr);
  index.ReplaceRepository("acme", "agents", {});
  EXPECT_EQ(index.List("acme", "agents").size(), 0u);
  EXPECT_FALSE(index.ContainsIdentifier("e4"));
  EXPECT_TRUE(index.ContainsIdentifier("e3"));
}

// Reset replaces every token and the key: hashes follow the new key, and tokens are found.
TEST(EntitlementIndexTest, ResetTakesNewTokensAndKey) {
  EntitlementIndex index("old-key");
  index.Put(Token("e1", "agents", "token-aaa-111"));
  index.Reset("new-key", {Token("e2", "agents", "token-bbb-222")});
  EXPECT_EQ(index.token_hash_key(), "new-key");
  EXPECT_EQ(index.HashToken("token-bbb-222"), KeyedTokenHash("new-key", "token-bbb-222"));
  EXPECT_FALSE(index.ContainsIdentifier("e1"));
  EXPECT_EQ(index.FindByToken("acme", "agents", "token-aaa-111"), nullptr);
  EXPECT_NE(index.FindByToken("acme", "agents", "token-bbb-222"), nullptr);
  EXPECT_TRUE(index.ContainsToken("token-bbb-222"));
  index.Remove("e2");
  EXPECT_FALSE(index.ContainsToken("token-bbb-222"));
}

}  // namespace
}  // namespace tollgate::storage
