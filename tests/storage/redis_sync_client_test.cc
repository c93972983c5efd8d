// Tests of the blocking Redis client against a real redis-server.
#include "tollgate/storage/redis/redis_sync_client.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "redis_server.h"

namespace tollgate::storage {
namespace {

class RedisSyncClientTest : public ::testing::Test {
 protected:
  void SetUp() override { endpoint_.port = redis_.port(); }

  ::tollgate::testing::RedisServer redis_;
  RedisEndpoint endpoint_;
};

// Values with NUL, CR and LF bytes come back byte for byte.
TEST_F(RedisSyncClientTest, CommandIsBinarySafe) {
  RedisSyncClient client(endpoint_);
  const std::string value("a\0b\r\nc", 6);
  ASSERT_TRUE(client.Command({"SET", "key", value}).ok());
  absl::StatusOr<RedisReply> reply = client.Command({"GET", "key"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, value);
}

// A command Redis refuses is an error reply, not a failed call.
TEST_F(RedisSyncClientTest, ErrorReplyIsAReply) {
  RedisSyncClient client(endpoint_);
  absl::StatusOr<RedisReply> reply = client.Command({"NO-SUCH-COMMAND"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_TRUE(reply->is_error());
}

// A pipeline longer than one chunk answers every command, in order.
TEST_F(RedisSyncClientTest, PipelineAnswersInOrder) {
  RedisSyncClient client(endpoint_);
  std::vector<std::vector<std::string>> batch(3000, {"INCR", "counter"});
  absl::StatusOr<std::vector<RedisReply>> replies = client.Commands(batch);
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 3000u);
  EXPECT_EQ(replies->front().integer, 1);
  EXPECT_EQ(replies->back().integer, 3000);
}

// A transaction answers with the reply of each command in it.
TEST_F(RedisSyncClientTest, TransactionAnswersEachCommand) {
  RedisSyncClient client(endpoint_);
  absl::StatusOr<std::vector<RedisReply>> replies =
      client.Transaction({{"SET", "n", "1"}, {"INCR", "n"}});
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 2u);
  EXPECT_EQ((*replies)[1].integer, 2);
}

// A transaction with a malformed command is refused whole: nothing in it runs.
TEST_F(RedisSyncClientTest, MalformedTransactionRunsNothing) {
  RedisSyncClient client(endpoint_);
  EXPECT_EQ(client.Transaction({{"SET", "n", "1"}, {"SET", "n"}}).status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(client.Command({"EXISTS", "n"})->integer, 0);
}

// A server that does not run is Unavailable.
TEST_F(RedisSyncClientTest, StoppedServerIsUnavailable) {
  redis_.Stop();
  RedisSyncClient client(endpoint_);
  EXPECT_EQ(client.Command({"PING"}).status().code(), absl::StatusCode::kUnavailable);
}

// After the server went away and came back, the next call reconnects.
TEST_F(RedisSyncClientTest, ReconnectsAfterAFailure) {
  RedisSyncClient client(endpoint_);
  ASSERT_TRUE(client.Command({"PING"}).ok());
  redis_.Stop();
  EXPECT_FALSE(client.Command({"PING"}).ok());
  redis_.Start();
  EXPECT_TRUE(client.Command({"PING"}).ok());
}

// A reply slower than the command timeout is DeadlineExceeded, and the client recovers.
TEST_F(RedisSyncClientTest, SlowReplyIsDeadlineExceeded) {
  RedisSyncClientOptions options;
  options.command_timeout = std::chrono::milliseconds(100);
  RedisSyncClient client(endpoint_, options);
  EXPECT_EQ(client.Command({"BLPOP", "empty-list", "2"}).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(client.Command({"PING"}).ok());
}

// The endpoint's password and database are used, and a wrong password is PermissionDenied.
TEST_F(RedisSyncClientTest, UsesPasswordAndDatabase) {
  ASSERT_TRUE(RedisSyncClient(endpoint_).Command({"CONFIG", "SET", "requirepass", "s3cret"}).ok());
  RedisEndpoint db3 = endpoint_;
  db3.password = "s3cret";
  db3.db = 3;
  ASSERT_TRUE(RedisSyncClient(db3).Command({"SET", "k", "v"}).ok());
  RedisEndpoint db0 = db3;
  db0.db = 0;
  EXPECT_EQ(RedisSyncClient(db0).Command({"GET", "k"})->type, RedisReply::Type::kNil);
  RedisEndpoint wrong = db3;
  wrong.password = "wrong";
  EXPECT_EQ(RedisSyncClient(wrong).Command({"PING"}).status().code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace tollgate::storage
