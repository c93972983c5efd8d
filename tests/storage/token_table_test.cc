// Tests of a repository's token table: the truncated keyed hash, and the full string checked
// on every find.
#include "tollgate/storage/index/token_table.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "tollgate/storage/secrets.h"

namespace tollgate::storage {
namespace {

std::string Hex(const TokenKey& key) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
}

CompactEntitlementPtr Token(const std::string& identifier, const std::string& token) {
  policy::Entitlement e;
  e.identifier = identifier;
  e.token = token;
  return std::make_shared<const CompactEntitlement>(e);
}

// The key is the first half of the HMAC that KeyedTokenHash spells (RFC 4231 test case 2).
TEST(TokenKeyTest, IsTheFirstSixteenBytesOfTheKeyedHash) {
  EXPECT_EQ(Hex(TokenKeyOf("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c7");
  EXPECT_EQ(Hex(TokenKeyOf("key", "token-abc-123")),
            KeyedTokenHash("key", "token-abc-123").substr(0, 32));
}

// A token is found under its key by its string.
TEST(TokenTableTest, FindsATokenByKeyAndString) {
  const CompactEntitlementPtr e1 = Token("e1", "token-abc-123");
  TokenTable table;
  table.Insert(TokenKeyOf("k", e1->token()), e1.get());
  EXPECT_EQ(table.Find(TokenKeyOf("k", "token-abc-123"), "token-abc-123"), e1.get());
  EXPECT_EQ(table.Find(TokenKeyOf("k", "token-abc-124"), "token-abc-124"), nullptr);
}

// A string that shares the token's key (a collision, made here by filing the token under the
// other string's key) never matches: the find compares the strings, whatever their length.
TEST(TokenTableTest, SameKeyWithAnotherStringDoesNotMatch) {
  const CompactEntitlementPtr e1 = Token("e1", "token-abc-123");
  const TokenKey shared = TokenKeyOf("k", "token-xyz-789");
  TokenTable table;
  table.Insert(shared, e1.get());
  EXPECT_EQ(table.Find(shared, "token-xyz-789"), nullptr);
  EXPECT_EQ(table.Find(shared, "token-abc-12"), nullptr);
  EXPECT_EQ(table.Find(shared, "token-abc-1234"), nullptr);
  EXPECT_EQ(table.Find(shared, ""), nullptr);
  EXPECT_EQ(table.Find(shared, "token-abc-123"), e1.get());
}

// Of two tokens with one string the last added is found, and forgetting the other one leaves
// it in place.
TEST(TokenTableTest, LastAddedWinsAndEraseSparesIt) {
  const CompactEntitlementPtr e1 = Token("e1", "token-abc-123");
  const CompactEntitlementPtr e2 = Token("e2", "token-abc-123");
  const TokenKey key = TokenKeyOf("k", "token-abc-123");
  TokenTable table;
  table.Insert(key, e1.get());
  table.Insert(key, e2.get());
  EXPECT_EQ(table.Find(key, "token-abc-123"), e2.get());
  table.Erase(key, e1.get());
  EXPECT_EQ(table.Find(key, "token-abc-123"), e2.get());
  table.Erase(key, e2.get());
  EXPECT_EQ(table.Find(key, "token-abc-123"), nullptr);
}

}  // namespace
}  // namespace tollgate::storage
