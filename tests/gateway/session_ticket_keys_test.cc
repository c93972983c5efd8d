// SessionTicketKeys: a new key per rotation, the previous one still found (and marked old so
// its tickets are re-issued), anything older forgotten.
#include "edge/session_ticket_keys.h"

#include <thread>

#include "gtest/gtest.h"

namespace tollgate::gateway {
namespace {

TEST(SessionTicketKeysTest, StableWithinARotationPeriod) {
  SessionTicketKeys keys(std::chrono::hours(1));
  const SessionTicketKeys::Key first = *keys.Current();
  EXPECT_EQ(keys.Current()->name, first.name);
  const std::optional<SessionTicketKeys::Found> found = keys.Find(first.name.data());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->key.hmac_key, first.hmac_key);
  EXPECT_TRUE(found->is_current);
}

TEST(SessionTicketKeysTest, RotationKeepsOnlyThePreviousKey) {
  SessionTicketKeys keys(std::chrono::seconds(1));
  const SessionTicketKeys::Key first = *keys.Current();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const SessionTicketKeys::Key second = *keys.Current();  // one period later: rotated
  EXPECT_NE(first.name, second.name);
  EXPECT_NE(first.cipher_key, second.cipher_key);
  const std::optional<SessionTicketKeys::Found> previous = keys.Find(first.name.data());
  ASSERT_TRUE(previous);
  EXPECT_FALSE(previous->is_current);  // still accepted, and re-issued under `second`
}

// After two idle periods even the previous key is gone: no key outlives two periods.
TEST(SessionTicketKeysTest, LongIdleDropsBothKeys) {
  SessionTicketKeys keys(std::chrono::seconds(1));
  const SessionTicketKeys::Key first = *keys.Current();
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_FALSE(keys.Find(first.name.data()));
  EXPECT_TRUE(keys.Current());
}

}  // namespace
}  // namespace tollgate::gateway
