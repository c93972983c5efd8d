// SessionTicketKeys: a new key per rotation, the previous one still found (and marked old so
// its tickets are re-issued), anything older forgotten.
#include "edge/session_ticket_keys.h"

#include "gtest/gtest.h"

namespace tollgate::gateway {
namespace {

TEST(SessionTicketKeysTest, StableWithinARotationPeriod) {
  SessionTicketKeys keys(std::chrono::hours(1));
  const SessionTicketKeys::Key first = keys.Current();
  EXPECT_EQ(keys.Current().name, first.name);
  ASSERT_TRUE(keys.Find(first.name.data()));
  EXPECT_EQ(keys.Find(first.name.data())->hmac_key, first.hmac_key);
  EXPECT_FALSE(keys.IsOld(first.name.data()));
}

TEST(SessionTicketKeysTest, RotationKeepsOnlyThePreviousKey) {
  SessionTicketKeys keys(std::chrono::seconds(0));  // every call rotates
  const SessionTicketKeys::Key first = keys.Current();
  const SessionTicketKeys::Key second = keys.Current();
  EXPECT_NE(first.name, second.name);
  EXPECT_NE(first.cipher_key, second.cipher_key);
  // Find rotates once more: `second` is now the previous key, `first` is gone.
  EXPECT_TRUE(keys.Find(second.name.data()));
  EXPECT_TRUE(keys.IsOld(second.name.data()));
  EXPECT_FALSE(keys.Find(first.name.data()));
}

}  // namespace
}  // namespace tollgate::gateway
