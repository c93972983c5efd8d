// Tests of the change-log follower against a real redis-server: entries in order, catching up
// after a lost connection without a full load, and a full load exactly when the log cannot
// say what was missed (trimmed past the position, another epoch, a log behind the position).
#include "tollgate/storage/redis/redis_change_follower.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "eventually.h"
#include "redis_server.h"
#include "tollgate/storage/redis/redis_sync_client.h"

namespace tollgate::storage {
namespace {

using testing::Eventually;

constexpr absl::Duration kWait = absl::Seconds(5);
constexpr std::string_view kLog = "tollgate:changelog";

// What the follower's callbacks saw, safe to read from the test's thread. Its reload reads
// the position as the replica does; `failing` names messages whose first apply fails.
class Observer {
 public:
  explicit Observer(RedisEndpoint endpoint) : client_(std::move(endpoint)) {}

  absl::StatusOr<ChangeLogPosition> ReadPosition() {
    absl::StatusOr<RedisReply> reply =
        client_.Command(ReadChangeLogPositionCommand("epoch-of-the-test"));
    if (!reply.ok()) return reply.status();
    return ChangeLogPositionFromReply(*reply);
  }

  RedisChangeFollowerCallbacks Callbacks() {
    RedisChangeFollowerCallbacks callbacks;
    callbacks.reload = [this](std::string_view reason) -> absl::StatusOr<ChangeLogPosition> {
      {
        std::lock_guard lock(mu_);
        reload_reasons_.emplace_back(reason);
      }
      ++reloads;
      return ReadPosition();
    };
    // A batch is applied whole or not at all here (the replica's re-reads need not be: they
    // are harmless to repeat).
    callbacks.apply = [this](std::span<const std::string_view> messages) {
      std::lock_guard lock(mu_);
      for (const std::string_view message : messages) {
        if (always_failing_.contains(std::string(message)) ||
            failing_.erase(std::string(message)) > 0) {
          ++failures;
          return absl::UnavailableError("injected");
        }
      }
      applied_.insert(applied_.end(), messages.begin(), messages.end());
      return absl::OkStatus();
    };
    callbacks.on_reachable = [this](bool reachable) {
      if (!reachable) ++losses;
    };
    callbacks.on_current = [this] { ++currents; };
    callbacks.on_trouble = [this](std::string_view trouble) {
      std::lock_guard lock(mu_);
      troubles_.emplace_back(trouble);
    };
    return callbacks;
  }

  void FailOnce(std::string message) {
    std::lock_guard lock(mu_);
    failing_.insert(std::move(message));
  }
  void FailAlways(std::string message) {
    std::lock_guard lock(mu_);
    always_failing_.insert(std::move(message));
  }
  std::vector<std::string> reload_reasons() {
    std::lock_guard lock(mu_);
    return reload_reasons_;
  }
  std::vector<std::string> troubles() {
    std::lock_guard lock(mu_);
    return troubles_;
  }
  std::vector<std::string> applied() {
    std::lock_guard lock(mu_);
    return applied_;
  }
  bool Applied(size_t count) {
    return Eventually([&] { return applied().size() >= count; }, kWait);
  }

  std::atomic<int> reloads = 0;
  std::atomic<int> failures = 0;
  std::atomic<int> currents = 0;
  std::atomic<int> losses = 0;  // on_reachable(false)

 private:
  RedisSyncClient client_;
  std::mutex mu_;
  std::vector<std::string> applied_;
  std::set<std::string> failing_;
  std::set<std::string> always_failing_;
  std::vector<std::string> reload_reasons_;
  std::vector<std::string> troubles_;
};

// Loads once for `reason`, then is current again without loading more.
void ExpectOneReload(Observer& observer, std::string_view reason) {
  ASSERT_TRUE(Eventually([&] { return observer.reloads.load() >= 1; }, kWait));
  const int currents = observer.currents.load();
  ASSERT_TRUE(Eventually([&] { return observer.currents.load() > currents + 1; }, kWait));
  EXPECT_EQ(observer.reload_reasons(), std::vector<std::string>{std::string(reason)});
}

class RedisChangeFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    endpoint_.port = redis_.port();
    client_ = std::make_unique<RedisSyncClient>(endpoint_);
    observer_ = std::make_unique<Observer>(endpoint_);
  }

  // Starts following from the log's position now.
  void StartFollowing(RedisChangeFollowerOptions options = {}) {
    absl::StatusOr<ChangeLogPosition> position = observer_->ReadPosition();
    ASSERT_TRUE(position.ok()) << position.status();
    auto follower =
        RedisChangeFollower::Start(endpoint_, *position, observer_->Callbacks(), options);
    ASSERT_TRUE(follower.ok()) << follower.status();
    follower_ = *std::move(follower);
  }

  RedisReply Raw(const std::vector<std::string>& command) {
    absl::StatusOr<RedisReply> reply = client_->Command(command);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : RedisReply{};
  }
  void Append(std::string message) {
    Raw({"XADD", std::string(kLog), "*", "change", std::move(message)});
  }

  ::tollgate::testing::RedisServer redis_;
  RedisEndpoint endpoint_;
  std::unique_ptr<RedisSyncClient> client_;
  std::unique_ptr<Observer> observer_;
  std::unique_ptr<RedisChangeFollower> follower_;  // last: stops before what it uses
};

// Entries appended after the position reach `apply` in order; an entry without a change
// message is skipped; entries before the position are not replayed.
TEST_F(RedisChangeFollowerTest, AppliesEntriesInOrder) {
  Append("before");
  ASSERT_NO_FATAL_FAILURE(StartFollowing());
  Append("one");
  Raw({"XADD", std::string(kLog), "*", "other-field", "x"});
  Append("two");
  ASSERT_TRUE(observer_->Applied(2));
  EXPECT_EQ(observer_->applied(), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(observer_->reloads.load(), 0);
}

// A batch larger than one read is applied whole, in order.
TEST_F(RedisChangeFollowerTest, CatchesUpAcrossBatches) {
  RedisChangeFollowerOptions options;
  options.batch_size = 3;
  ASSERT_NO_FATAL_FAILURE(StartFollowing(options));
  std::vector<std::string> expected;
  for (int i = 0; i < 10; ++i) expected.push_back("m" + std::to_string(i));
  std::vector<std::vector<std::string>> appends;
  for (const std::string& m : expected)
    appends.push_back({"XADD", std::string(kLog), "*", "change", m});
  ASSERT_TRUE(client_->Transaction(appends).ok());
  ASSERT_TRUE(observer_->Applied(10));
  EXPECT_EQ(observer_->applied(), expected);
}

// After the connection is lost, the follower resumes from the last entry it applied: what
// was appended meanwhile arrives, and nothing is loaded in full.
TEST_F(RedisChangeFollowerTest, ResumesAfterALostConnectionWithoutReloading) {
  ASSERT_NO_FATAL_FAILURE(StartFollowing());
  Append("one");
  ASSERT_TRUE(observer_->Applied(1));
  const int losses_before = observer_->losses.load();
  absl::StatusOr<RedisReply> clients = client_->Command({"CLIENT", "LIST"});
  ASSERT_TRUE(clients.ok()) << clients.status();
  const std::vector<std::string> followers =
      ::tollgate::testing::ClientIdsNamed(clients->str, kChangeFollowerClientName);
  ASSERT_EQ(followers.size(), 1u);
  Raw({"CLIENT", "KILL", "ID", followers[0]});
  Append("two");
  ASSERT_TRUE(observer_->Applied(2));
  EXPECT_EQ(observer_->applied(), (std::vector<std::string>{"one", "two"}));
  EXPECT_GT(observer_->losses.load(), losses_before);
  EXPECT_EQ(observer_->reloads.load(), 0);
}

// A batch whose apply fails is applied again, and the entries after it wait for it: nothing
// is lost, skipped or reordered, and nothing is loaded in full.
TEST_F(RedisChangeFollowerTest, RetriesAFailedBatchInOrder) {
  ASSERT_NO_FATAL_FAILURE(StartFollowing());
  observer_->FailOnce("two");
  Append("one");
  Append("two");
  Append("three");
  ASSERT_TRUE(observer_->Applied(3));
  EXPECT_EQ(observer_->applied(), (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(observer_->failures.load(), 1);
  EXPECT_EQ(observer_->reloads.load(), 0);
}

// Entries trimmed before the follower read them: it cannot know what they said, so it loads
// in full, then follows from the new position.
TEST_F(RedisChangeFollowerTest, LogTrimmedPastThePositionReloads) {
  ASSERT_NO_FATAL_FAILURE(StartFollowing());
  // In one step, so the follower never sees the two entries.
  ASSERT_TRUE(client_
                  ->Transaction({{"XADD", std::string(kLog), "*", "change", "unseen-1"},
                                 {"XADD", std::string(kLog), "*", "change", "unseen-2"},
                                 {"XTRIM", std::string(kLog), "MAXLEN", "0"}})
                  .ok());
  ExpectOneReload(*observer_, "log_trimmed");
  Append("after");
  ASSERT_TRUE(observer_->Applied(1));
  EXPECT_EQ(observer_->applied(), (std::vector<std::string>{"after"}));
}

// Another epoch in Redis (it lost its data, and another instance loaded it first) reloads.
TEST_F(RedisChangeFollowerTest, AnotherEpochReloads) {
  ASSERT_NO_FATAL_FAILURE(StartFollowing());
  // In one step: a read between the flush and the new epoch would load twice.
  ASSERT_TRUE(client_
                  ->Transaction({{"FLUSHALL"},
                                 {"HSET", "tollgate:meta", "changelog_epoch", "another-epoch"},
                                 {"XADD", std::string(kLog), "*", "change", "after-loss"}})
                  .ok());
  ExpectOneReload(*observer_, "epoch");
}

// A log behind the position (Redis restored from an older snapshot, or a replica promoted
// before it saw the newest entries) reloads, though the epoch is the same.
TEST_F(RedisChangeFollowerTest, LogBehindThePositionReloads) {
  Append("one");
  ASSERT_NO_FATAL_FAILURE(StartFollowing());
  ASSERT_TRUE(client_
                  ->Transaction({{"DEL", std::string(kLog)},
                                 {"XADD", std::string(kLog), "1-1", "change", "old-snapshot"}})
                  .ok());
  ExpectOneReload(*observer_, "log_behind");
  EXPECT_TRUE(observer_->applied().empty());
}

// A log rolled back below the position, then rewritten with as many entries as it lost (so
// the counts agree), some of them with ids at or below the position: the follower's own
// entry is gone from where the log still keeps entries, and it reloads.
TEST_F(RedisChangeFollowerTest, LogRewrittenBelowThePositionReloads) {
  ASSERT_TRUE(client_
                  ->Transaction({{"XADD", std::string(kLog), "1000-0", "change", "a"},
                                 {"XADD", std::string(kLog), "3000-0", "change", "b"}})
                  .ok());
  ASSERT_NO_FATAL_FAILURE(StartFollowing());  // at 3000-0, two entries seen
  ASSERT_TRUE(client_
                  ->Transaction({{"DEL", std::string(kLog)},
                                 {"XADD", std::string(kLog), "1000-0", "change", "a"},
                                 {"XADD", std::string(kLog), "2500-0", "change", "lost-1"},
                                 {"XADD", std::string(kLog), "3500-0", "change", "c"}})
                  .ok());
  ExpectOneReload(*observer_, "log_rewritten");
}

// An entry after the position deleted by hand (XDEL) before the follower read it: it cannot
// know what it said, so it reloads.
TEST_F(RedisChangeFollowerTest, DeletedUnreadEntryReloads) {
  Append("seen");
  ASSERT_NO_FATAL_FAILURE(StartFollowing());
  // The log keeps "seen" and "kept": it lost one entry, and the follower saw one, so the
  // counts alone would not tell.
  ASSERT_TRUE(client_
                  ->Transaction({{"XADD", std::string(kLog), "*", "change", "unread"},
                                 {"XADD", std::string(kLog), "*", "change", "kept"},
                                 {"EVAL",
                                  "local e = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 2)"
                                  " return redis.call('XDEL', KEYS[1], e[2][1])",
                                  "1", std::string(kLog)}})
                  .ok());
  ExpectOneReload(*observer_, "entry_deleted");
}

// A batch that keeps failing while Redis answers is reported, retried, and after a few tries
// everything is loaded instead; the connection is kept, and nothing is reported unreachable.
TEST_F(RedisChangeFollowerTest, BatchThatKeepsFailingReloads) {
  RedisChangeFollowerOptions options;
  options.backoff_max = std::chrono::milliseconds(200);
  ASSERT_NO_FATAL_FAILURE(StartFollowing(options));
  const int losses = observer_->losses.load();
  observer_->FailAlways("poison");
  Append("poison");
  ASSERT_TRUE(Eventually([&] { return observer_->reloads.load() >= 1; }, kWait));
  EXPECT_EQ(observer_->reload_reasons().front(), "apply_failed");
  EXPECT_GE(observer_->failures.load(), 3);
  ASSERT_FALSE(observer_->troubles().empty());
  EXPECT_EQ(observer_->troubles().front(), "applying the change log: injected");
  EXPECT_EQ(observer_->losses.load(), losses);
  // Past the poisoned entry now: later ones arrive.
  Append("after");
  EXPECT_TRUE(observer_->Applied(1));
}

// A log Redis answers with an error (not a stream) is reported with Redis's words, and
// following resumes once the key is a log again, without a lost connection.
TEST_F(RedisChangeFollowerTest, ErrorFromRedisIsReportedAndOutlived) {
  ASSERT_NO_FATAL_FAILURE(StartFollowing());
  const int losses = observer_->losses.load();
  Raw({"SET", std::string(kLog), "not a stream"});
  ASSERT_TRUE(Eventually([&] { return !observer_->troubles().empty(); }, kWait));
  EXPECT_NE(observer_->troubles().front().find("WRONGTYPE"), std::string::npos)
      << observer_->troubles().front();
  Raw({"DEL", std::string(kLog)});
  Append("one");
  EXPECT_TRUE(observer_->Applied(1));
  EXPECT_EQ(observer_->losses.load(), losses);
}

// A server whose ACL refuses CLIENT (so the connection cannot be named) is followed all the
// same.
TEST_F(RedisChangeFollowerTest, FollowsWhenTheNameIsRefused) {
  Raw({"ACL", "SETUSER", "default", "on", "nopass", "~*", "&*", "+@all", "-client"});
  ASSERT_NO_FATAL_FAILURE(StartFollowing());
  Append("one");
  EXPECT_TRUE(observer_->Applied(1));
}

// A position read from a server that refuses the position script (as Redis before 7.0 does,
// or an ACL without XINFO) is FailedPrecondition with Redis's words.
TEST_F(RedisChangeFollowerTest, RefusedPositionIsFailedPrecondition) {
  Raw({"ACL", "SETUSER", "default", "on", "nopass", "~*", "&*", "+@all", "-xinfo"});
  Append("one");
  absl::StatusOr<ChangeLogPosition> position = observer_->ReadPosition();
  EXPECT_EQ(position.status().code(), absl::StatusCode::kFailedPrecondition);
  RedisReply older;
  older.type = RedisReply::Type::kError;
  older.str = "ERR the change log needs Redis 7.0 or later";
  EXPECT_EQ(ChangeLogPositionFromReply(older).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// An idle follower keeps telling that it is current (its XREAD times out and is re-sent).
TEST_F(RedisChangeFollowerTest, ReportsCurrentWhenIdle) {
  RedisChangeFollowerOptions options;
  options.poll_interval = std::chrono::milliseconds(20);
  ASSERT_NO_FATAL_FAILURE(StartFollowing(options));
  EXPECT_TRUE(Eventually([&] { return observer_->currents.load() >= 3; }, kWait));
}

// A lost Redis is reported, and the follower is current again once Redis is back.
TEST_F(RedisChangeFollowerTest, ReportsAnOutageAndRecovers) {
  ASSERT_NO_FATAL_FAILURE(StartFollowing());
  ASSERT_TRUE(Eventually([&] { return observer_->currents.load() >= 1; }, kWait));
  redis_.Stop();
  ASSERT_TRUE(Eventually([&] { return observer_->losses.load() >= 1; }, kWait));
  redis_.Start();
  const int currents = observer_->currents.load();
  EXPECT_TRUE(Eventually([&] { return observer_->currents.load() > currents; }, kWait));
}

// The position names Redis's epoch (made once, then kept), the newest entry and the count of
// entries the log took, trimmed ones included.
TEST_F(RedisChangeFollowerTest, PositionCountsEveryEntryTaken) {
  absl::StatusOr<ChangeLogPosition> empty = observer_->ReadPosition();
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(*empty, (ChangeLogPosition{"epoch-of-the-test", "0-0", 0}));
  Append("one");
  Append("two");
  Raw({"XTRIM", std::string(kLog), "MAXLEN", "1"});
  const RedisReply newest = Raw({"XREVRANGE", std::string(kLog), "+", "-", "COUNT", "1"});
  ASSERT_EQ(newest.elements.size(), 1u);
  absl::StatusOr<ChangeLogPosition> position = observer_->ReadPosition();
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(*position,
            (ChangeLogPosition{"epoch-of-the-test", newest.elements[0].elements[0].str, 2}));
}

// Behind Sentinels, the follower moves to the promoted master by itself although the old one
// keeps answering it: here the old master cannot be told to step down (it refuses CLIENT, so
// the Sentinel's reconfiguration, which also drops its clients, fails), as a master cut off
// from the Sentinels would not hear it. The follower shows in the new master's CLIENT LIST.
TEST(RedisChangeFollowerSentinelTest, MovesToThePromotedMaster) {
  ::tollgate::testing::RedisServer master(::tollgate::testing::RedisData::kLostOnStop,
                                          {"--rename-command", "CLIENT", "\"\""});
  ::tollgate::testing::RedisServer replica(
      ::tollgate::testing::RedisData::kLostOnStop,
      {"--replicaof", "127.0.0.1", std::to_string(master.port())});
  const std::unique_ptr<::tollgate::testing::RedisServer> sentinel =
      ::tollgate::testing::RedisServer::Sentinel(master.port(), "tollgate", 1);
  RedisEndpoint endpoint;
  endpoint.sentinels = {{"127.0.0.1", sentinel->port()}};
  endpoint.master_name = "tollgate";
  RedisEndpoint direct;
  direct.port = master.port();
  Observer observer(direct);
  absl::StatusOr<ChangeLogPosition> position = observer.ReadPosition();
  ASSERT_TRUE(position.ok()) << position.status();
  auto follower = RedisChangeFollower::Start(endpoint, *position, observer.Callbacks());
  ASSERT_TRUE(follower.ok()) << follower.status();
  ASSERT_TRUE(Eventually([&] { return observer.currents.load() >= 1; }, kWait));

  RedisEndpoint sentinel_direct;
  sentinel_direct.port = sentinel->port();
  // The Sentinel must know the replica before it can promote it.
  ASSERT_TRUE(Eventually(
      [&] {
        absl::StatusOr<RedisReply> failover =
            RedisSyncClient(sentinel_direct).Command({"SENTINEL", "FAILOVER", "tollgate"});
        return failover.ok() && !failover->is_error();
      },
      absl::Seconds(15)));
  RedisEndpoint promoted;
  promoted.port = replica.port();
  EXPECT_TRUE(Eventually(
      [&] {
        absl::StatusOr<RedisReply> clients = RedisSyncClient(promoted).Command({"CLIENT", "LIST"});
        return clients.ok() &&
               !::tollgate::testing::ClientIdsNamed(clients->str, kChangeFollowerClientName)
                    .empty();
      },
      absl::Seconds(20)));
}

// A follower waiting on the log stops at once, however long its wait.
TEST_F(RedisChangeFollowerTest, StopsAtOnceWhileWaiting) {
  RedisChangeFollowerOptions options;
  options.poll_interval = std::chrono::milliseconds(60'000);
  ASSERT_NO_FATAL_FAILURE(StartFollowing(options));
  ASSERT_TRUE(Eventually([&] { return observer_->currents.load() >= 1; }, kWait));
  const absl::Time asked = absl::Now();
  follower_.reset();
  EXPECT_LT(absl::Now() - asked, absl::Seconds(5));
}

// A follower that never reached Redis still stops when destroyed.
TEST_F(RedisChangeFollowerTest, StopsWithoutRedis) {
  redis_.Stop();
  auto follower = RedisChangeFollower::Start(endpoint_, ChangeLogPosition{"e", "0-0", 0},
                                             observer_->Callbacks());
  ASSERT_TRUE(follower.ok()) << follower.status();
  follower->reset();
  EXPECT_EQ(observer_->currents.load(), 0);
}

}  // namespace
}  // namespace tollgate::storage
