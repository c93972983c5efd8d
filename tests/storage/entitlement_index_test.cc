// Tests of the entitlement index itself, below the stores: the cases a replica catching up
// can make (a string held twice in one repository, a token moving between repositories), the
// hash its callers store, and a reload with a new key.
#include "tollgate/storage/index/entitlement_index.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "tollgate/storage/secrets.h"

namespace tollgate::storage {
namespace {

policy::Entitlement Token(const std::string& identifier, const std::string& repo,
                          const std::string& token, int64_t created = 0) {
  policy::Entitlement e;
  e.identifier = identifier;
  e.org = "acme";
  e.repo = repo;
  e.token = token;
  e.created_at = absl::FromUnixSeconds(1'750'000'000 + created);
  return e;
}

CompactEntitlementPtr Compact(const policy::Entitlement& e) {
  return std::make_shared<const CompactEntitlement>(e);
}

// What tells tokens apart here: a token read back is an expansion of what was put in, equal
// in every field but not the same object.
std::string Describe(const policy::Entitlement& e) {
  return e.identifier + " " + e.repo + " " + e.token;
}
std::string Describe(const EntitlementPtr& e) { return e == nullptr ? "none" : Describe(*e); }

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
  const policy::Entitlement e1 = Token("e1", "agents", "token-abc-123");
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
  const policy::Entitlement moved = Token("e1", "tools", "token-new-456");
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
  const policy::Entitlement e2 = Token("e2", "agents", "token-abc-123");
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
  index.ReplaceRepository("acme", "agents",
                          {Compact(Token("e2", "agents", "token-bbb-999")),
                           Compact(Token("e4", "agents", "token-ddd-444"))});
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
  index.Reset("new-key", {Compact(Token("e2", "agents", "token-bbb-222"))});
  EXPECT_EQ(index.token_hash_key(), "new-key");
  EXPECT_EQ(index.HashToken("token-bbb-222"), KeyedTokenHash("new-key", "token-bbb-222"));
  EXPECT_FALSE(index.ContainsIdentifier("e1"));
  EXPECT_EQ(index.FindByToken("acme", "agents", "token-aaa-111"), nullptr);
  EXPECT_NE(index.FindByToken("acme", "agents", "token-bbb-222"), nullptr);
  EXPECT_TRUE(index.ContainsToken("token-bbb-222"));
  index.Remove("e2");
  EXPECT_FALSE(index.ContainsToken("token-bbb-222"));
}

// A token put again (disabled) on the thread that last read it comes back as put: its old
// expansion in the thread's cache is never handed out.
TEST(EntitlementIndexTest, ATokenPutAgainIsReadAsPutOnTheSameThread) {
  EntitlementIndex index("key");
  policy::Entitlement e1 = Token("e1", "agents", "token-abc-123");
  index.Put(e1);
  ASSERT_TRUE(index.FindByToken("acme", "agents", "token-abc-123")->is_active);
  e1.is_active = false;
  index.Put(e1);
  EXPECT_FALSE(index.FindByToken("acme", "agents", "token-abc-123")->is_active);
  EXPECT_FALSE(index.Get("acme", "agents", "e1")->is_active);
}

// ReplaceStandardTokens swaps a repository's standard tokens and keeps its user tokens;
// CountActiveStandard counts active standard tokens only.
TEST(EntitlementIndexTest, ReplaceStandardTokensKeepsUserTokens) {
  EntitlementIndex index("key");
  policy::Entitlement alice = Token("u1", "agents", "token-user-111");
  alice.user = "alice";
  index.Put(alice);
  index.Put(Token("e1", "agents", "token-aaa-111"));
  policy::Entitlement disabled = Token("e2", "agents", "token-bbb-222");
  disabled.is_active = false;
  index.Put(disabled);
  EXPECT_EQ(index.CountActiveStandard("acme", "agents"), 1);
  index.ReplaceStandardTokens("acme", "agents",
                              {Compact(Token("e3", "agents", "token-ccc-333")),
                               Compact(Token("e4", "agents", "token-ddd-444"))});
  EXPECT_EQ(Identifiers(index.List("acme", "agents")),
            (std::vector<std::string>{"e3", "e4", "u1"}));
  EXPECT_EQ(index.CountActiveStandard("acme", "agents"), 2);
  EXPECT_EQ(index.CountActiveStandard("acme", "nope"), 0);
  EXPECT_FALSE(index.ContainsToken("token-aaa-111"));
  EXPECT_NE(index.FindByToken("acme", "agents", "token-user-111"), nullptr);
}

// Readers on several threads while a writer disables and re-enables a token: every reader
// sees one of the two states put, never a token of another string.
TEST(EntitlementIndexTest, ConcurrentReadersSeeWholeTokens) {
  EntitlementIndex index("key");
  policy::Entitlement e1 = Token("e1", "agents", "token-abc-123");
  index.Put(e1);
  std::atomic<bool> done = false;
  std::atomic<int> wrong = 0;
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!done) {
        const EntitlementPtr found = index.FindByToken("acme", "agents", "token-abc-123");
        if (found == nullptr || found->token != "token-abc-123" || found->identifier != "e1") {
          ++wrong;
        }
      }
    });
  }
  for (int i = 0; i < 20'000; ++i) {
    e1.is_active = i % 2 == 0;
    index.Put(e1);
  }
  done = true;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace tollgate::storage
