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
    callbacks.reload = [this]() -> absl::StatusOr<ChangeLogPosition> {
      ++reloads;
      return ReadPosition();
    };
    // A batch is applied whole or not at all, as the replica's re-reads are.
    callbacks.apply = [this](std::span<const std::string_view> messages) {
      std::lock_guard lock(mu_);
      for (const std::string_view message : messages) {
        if (failing_.erase(std::string(message)) > 0) {
          ++failures;
          return absl::UnavailableError("injected");
        }
      }
      applied_.insert(applied_.end(), messages.begin(), messages.end());
      return absl::OkStatus();
    };
    callbacks.on_current = [this] { ++currents; };
    callbacks.on_behind = [this] { ++behinds; };
    return callbacks;
  }

  void FailOnce(std::string message) {
    std::lock_guard lock(mu_);
    failing_.insert(std::move(message));
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
  std::atomic<int> behinds = 0;

 private:
  RedisSyncClient client_;
  std::mutex mu_;
  std::vector<std::string> applied_;
  std::set<std::string> failing_;
};

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
  for (const std::string& m : expected) appends.push_back({"XADD", std::string(kLog), "*", "change", m});
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
  const int behinds_before = observer_->behinds.load();
  absl::StatusOr<RedisReply> clients = client_->Command({"CLIENT", "LIST"});
  ASSERT_TRUE(clients.ok()) << clients.status();
  const std::vector<std::string> followers = ::tollgate::testing::ClientIdsNamed(clients->str, kChangeFollowerClientName);
  ASSERT_EQ(followers.size(), 1u);
  Raw({"CLIENT", "KILL", "ID", followers[0]});
  Append("two");
  ASSERT_TRUE(observer_->Applied(2));
  EXPECT_EQ(observer_->applied(), (std::vector<std::string>{"one", "two"}));
  EXPECT_GT(observer_->behinds.load(), behinds_before);
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
  ASSERT_TRUE(Eventually([&] { return observer_->reloads.load() == 1; }, kWait));
  Append("after");
  ASSERT_TRUE(observer_->Applied(1));
  EXPECT_EQ(observer_->applied(), (std::vector<std::string>{"after"}));
  EXPECT_EQ(observer_->reloads.load(), 1);
}

// Another epoch in Redis (it lost its data, and another instance loaded it first) reloads.
TEST_F(RedisChangeFollowerTest, AnotherEpochReloads) {
  ASSERT_NO_FATAL_FAILURE(StartFollowing());
  Raw({"FLUSHALL"});
  Raw({"HSET", "tollgate:meta", "changelog_epoch", "another-epoch"});
  Append("after-loss");
  EXPECT_TRUE(Eventually([&] { return observer_->reloads.load() >= 1; }, kWait));
}

// A log behind the position (Redis restored from an older snapshot, or a replica promoted
// before it saw the newest entries) reloads, though the epoch is the same.
TEST_F(RedisChangeFollowerTest, LogBehindThePositionReloads) {
  Append("one");
  ASSERT_NO_FATAL_FAILURE(StartFollowing());
  Raw({"DEL", std::string(kLog)});
  Raw({"XADD", std::string(kLog), "1-1", "change", "from-an-old-snapshot"});
  EXPECT_TRUE(Eventually([&] { return observer_->reloads.load() == 1; }, kWait));
  EXPECT_TRUE(observer_->applied().empty());
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
  ASSERT_TRUE(Eventually([&] { return observer_->behinds.load() >= 1; }, kWait));
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

// A follower that never reached Redis still stops when destroyed.
TEST_F(RedisChangeFollowerTest, StopsWithoutRedis) {
  redis_.Stop();
  auto follower =
      RedisChangeFollower::Start(endpoint_, ChangeLogPosition{"e", "0-0", 0}, observer_->Callbacks());
  ASSERT_TRUE(follower.ok()) << follower.status();
  follower->reset();
  EXPECT_EQ(observer_->currents.load(), 0);
}

}  // namespace
}  // namespace tollgate::storage
