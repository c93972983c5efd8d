// One conformance suite for both brute-force counts (in memory, and shared through a real
// redis-server): the sliding window, the block and its end, clients kept apart, IPv6 keys;
// plus sharing between two instances and counting on through a Redis outage.
#include <gtest/gtest.h>

#include <csignal>
#include <functional>
#include <memory>
#include <string>

#include "await.h"
#include "boost/asio/io_context.hpp"
#include "redis_server.h"
#include "tollgate/storage/index/memory_auth_failures.h"
#include "tollgate/storage/redis/redis_auth_failures.h"

namespace tollgate::storage {
namespace {

namespace asio = boost::asio;
using tollgate::testing::Await;

constexpr AuthFailureLimits kLimits{
    .max_failures = 5, .window = absl::Minutes(1), .block = absl::Seconds(60)};

struct FailuresFixture {
  virtual ~FailuresFixture() = default;
  // Another instance on the same shared state (for the memory one: its own state).
  virtual std::unique_ptr<AuthFailures> Open() = 0;
  virtual bool shared() const = 0;
};

struct MemoryFixture : FailuresFixture {
  std::unique_ptr<AuthFailures> Open() override {
    return std::make_unique<MemoryAuthFailures>(kLimits);
  }
  bool shared() const override { return false; }
};

struct RedisFixture : FailuresFixture {
  std::unique_ptr<AuthFailures> Open() override {
    return std::make_unique<RedisAuthFailures>(RedisEndpoint{.host = "127.0.0.1",
                                                             .port = server.port(),
                                                             .password = "",
                                                             .db = 0,
                                                             .sentinels = {},
                                                             .master_name = {},
                                                             .wait_replicas = 0},
                                               kLimits);
  }
  bool shared() const override { return true; }
  ::tollgate::testing::RedisServer server;
};

struct NamedFactory {
  std::string name;
  std::function<std::unique_ptr<FailuresFixture>()> make;
};

class AuthFailuresTest : public ::testing::TestWithParam<NamedFactory> {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);  // hiredis writes with write(2)
    fixture_ = GetParam().make();
    failures_ = fixture_->Open();
  }
  // Destroy the Redis clients while the loop still exists.
  void TearDown() override {
    failures_.reset();
    fixture_.reset();
  }

  FailureOutcome Fail(const std::string& client, absl::Time at, AuthFailures* on = nullptr) {
    return Await(io_, (on != nullptr ? *on : *failures_).RecordFailure(client, at));
  }

  asio::io_context io_;
  std::unique_ptr<FailuresFixture> fixture_;
  std::unique_ptr<AuthFailures> failures_;
  const absl::Time start_ = absl::FromUnixSeconds(1'800'000'000);
};

// Five failures are allowed; the sixth within the minute blocks for the block length, and the
// client stays blocked until then — but only that client.
TEST_P(AuthFailuresTest, SixthFailureInTheWindowBlocks) {
  for (int i = 0; i < 5; ++i) {
    const FailureOutcome outcome = Fail("192.0.2.9", start_ + absl::Seconds(i));
    EXPECT_FALSE(outcome.blocked_until) << i;
  }
  EXPECT_FALSE(failures_->BlockedUntil("192.0.2.9", start_ + absl::Seconds(5)));
  const FailureOutcome sixth = Fail("192.0.2.9", start_ + absl::Seconds(5));
  ASSERT_TRUE(sixth.blocked_until);
  EXPECT_TRUE(sixth.block_started);
  EXPECT_EQ(*sixth.blocked_until, start_ + absl::Seconds(65));
  EXPECT_EQ(failures_->BlockedUntil("192.0.2.9", start_ + absl::Seconds(30)),
            start_ + absl::Seconds(65));
  EXPECT_FALSE(failures_->BlockedUntil("192.0.2.10", start_ + absl::Seconds(30)));
  EXPECT_FALSE(failures_->BlockedUntil("192.0.2.9", start_ + absl::Seconds(66)));
}

// The count of blocked clients (a metric) follows the blocks as they start and end.
TEST_P(AuthFailuresTest, BlockedCountFollowsTheBlocks) {
  EXPECT_EQ(failures_->BlockedCount(start_), 0u);
  for (int i = 0; i < 6; ++i) Fail("192.0.2.9", start_);
  for (int i = 0; i < 6; ++i) Fail("192.0.2.10", start_ + absl::Seconds(10));
  Fail("192.0.2.11", start_ + absl::Seconds(10));  // one failure blocks nobody
  EXPECT_EQ(failures_->BlockedCount(start_ + absl::Seconds(10)), 2u);
  EXPECT_EQ(failures_->BlockedCount(start_ + absl::Seconds(66)), 1u);  // the first block ended
  EXPECT_EQ(failures_->BlockedCount(start_ + absl::Seconds(76)), 0u);
}

// New limits (a SIGHUP) apply to the next failures: a lower limit blocks sooner, for the new
// block length.
TEST_P(AuthFailuresTest, NewLimitsApplyToTheNextFailures) {
  failures_->SetLimits({.max_failures = 2, .window = absl::Minutes(1), .block = absl::Seconds(10)});
  EXPECT_FALSE(Fail("192.0.2.9", start_).blocked_until);
  EXPECT_FALSE(Fail("192.0.2.9", start_).blocked_until);
  const FailureOutcome third = Fail("192.0.2.9", start_ + absl::Seconds(1));
  ASSERT_TRUE(third.blocked_until);
  EXPECT_EQ(*third.blocked_until, start_ + absl::Seconds(11));
}

// A failure while blocked reports the block without starting a new one.
TEST_P(AuthFailuresTest, FailureWhileBlockedReportsTheBlock) {
  for (int i = 0; i < 6; ++i) Fail("192.0.2.9", start_);
  const FailureOutcome again = Fail("192.0.2.9", start_ + absl::Seconds(1));
  ASSERT_TRUE(again.blocked_until);
  EXPECT_FALSE(again.block_started);
}

// Failures that left the window no longer count: one every 15 s never blocks.
TEST_P(AuthFailuresTest, SlowFailuresNeverBlock) {
  for (int i = 0; i < 20; ++i) {
    EXPECT_FALSE(Fail("192.0.2.9", start_ + absl::Seconds(15 * i)).blocked_until) << i;
  }
}

// An IPv6 /64 is one client; its keys with ':' are stored as they are.
TEST_P(AuthFailuresTest, Ipv6ClientKeysWork) {
  for (int i = 0; i < 6; ++i) Fail("2001:db8:1:2::/64", start_);
  EXPECT_TRUE(failures_->BlockedUntil("2001:db8:1:2::/64", start_ + absl::Seconds(1)));
}

// Two instances on one Redis share the count: 3 + 3 failures block, and the other instance
// refuses the client on its next failure there.
TEST_P(AuthFailuresTest, InstancesShareTheCount) {
  if (!fixture_->shared()) GTEST_SKIP() << "only a shared store shares";
  std::unique_ptr<AuthFailures> other = fixture_->Open();
  const absl::Time now = absl::Now();  // Redis expires keys by its own clock
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(Fail("192.0.2.9", now).blocked_until);
  for (int i = 0; i < 2; ++i) EXPECT_FALSE(Fail("192.0.2.9", now, other.get()).blocked_until);
  EXPECT_TRUE(Fail("192.0.2.9", now, other.get()).block_started);
  EXPECT_FALSE(failures_->BlockedUntil("192.0.2.9", now));  // not learnt yet
  const FailureOutcome learnt = Fail("192.0.2.9", now);
  EXPECT_TRUE(learnt.blocked_until);
  EXPECT_FALSE(learnt.block_started);
  EXPECT_TRUE(failures_->BlockedUntil("192.0.2.9", now + absl::Seconds(1)));
  other.reset();
}

// While Redis is away each instance counts alone, and still blocks.
TEST_P(AuthFailuresTest, RedisOutageCountsLocally) {
  if (!fixture_->shared()) GTEST_SKIP() << "only the shared store has outages";
  static_cast<RedisFixture&>(*fixture_).server.Stop();
  const absl::Time now = absl::Now();
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(Fail("192.0.2.9", now).blocked_until) << i;
  EXPECT_TRUE(Fail("192.0.2.9", now).block_started);
}

INSTANTIATE_TEST_SUITE_P(
    BothStores, AuthFailuresTest,
    ::testing::Values(
        NamedFactory{"Memory",
                     [] { return std::unique_ptr<FailuresFixture>(new MemoryFixture()); }},
        NamedFactory{"Redis", [] { return std::unique_ptr<FailuresFixture>(new RedisFixture()); }}),
    [](const auto& param_info) { return param_info.param.name; });

// The memory count's bound: beyond its client cap it forgets partial counts, never blocks.
TEST(MemoryAuthFailuresTest, ManyClientsStayBounded) {
  MemoryAuthFailures failures(kLimits, /*max_clients=*/100);
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  for (int i = 0; i < 10'000; ++i) {
    EXPECT_FALSE(failures.Count("198.51.100." + std::to_string(i), now).blocked_until);
  }
  for (int i = 0; i < 6; ++i) failures.Count("192.0.2.9", now);
  EXPECT_TRUE(failures.BlockedUntil("192.0.2.9", now));
}

}  // namespace
}  // namespace tollgate::storage
