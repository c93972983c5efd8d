// Tests of RedisAsyncClient against a real redis-server: replies, pipelining, outages,
// reconnects, deadlines, AUTH/SELECT and destruction with commands in flight.
#include "tollgate/storage/redis/redis_async_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "redis_server.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Result = absl::StatusOr<RedisReply>;

// Upper bound for anything a test waits for; generous so a loaded machine does not flake.
constexpr auto kPatience = std::chrono::seconds(10);

class RedisAsyncClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // hiredis writes with write(2): a peer that went away must not kill the test with
    // SIGPIPE (tollgate's main ignores it the same way).
    std::signal(SIGPIPE, SIG_IGN);
    server_ = std::make_unique<testing::RedisServer>();
  }

  RedisEndpoint Endpoint() const {
    return RedisEndpoint{.host = "127.0.0.1",
                         .port = server_->port(),
                         .password = "",
                         .db = 0,
                         .sentinels = {},
                         .master_name = {},
                         .wait_replicas = 0};
  }

  static RedisClientOptions FastOptions() {
    return RedisClientOptions{.connect_timeout = milliseconds(2000),
                              .command_timeout = milliseconds(5000),
                              .reconnect_backoff_min = milliseconds(10),
                              .reconnect_backoff_max = milliseconds(100)};
  }

  std::unique_ptr<RedisAsyncClient> NewClient(RedisEndpoint endpoint,
                                              RedisClientOptions options = FastOptions()) {
    return std::make_unique<RedisAsyncClient>(io_.get_executor(), std::move(endpoint), options);
  }

  // Runs the loop for `duration` (restarting it if it had run out of work).
  void RunFor(milliseconds duration) {
    io_.restart();
    io_.run_for(duration);
  }

  // Runs the loop until `done` holds or kPatience passes; returns `done()`.
  bool RunUntil(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      RunFor(milliseconds(5));
    }
    return done();
  }

  // A connected client on the fixture's server (fails the test when it does not connect).
  std::unique_ptr<RedisAsyncClient> ConnectedClient(RedisClientOptions options = FastOptions()) {
    auto client = NewClient(Endpoint(), options);
    EXPECT_TRUE(RunUntil([&] { return client->connected(); }));
    return client;
  }

  // Starts one command; the returned slot fills when it completes.
  std::shared_ptr<std::optional<Result>> Start(RedisAsyncClient& client,
                                               std::vector<std::string> args) {
    auto slot = std::make_shared<std::optional<Result>>();
    asio::co_spawn(io_, client.Command(std::move(args)),
                   [slot](std::exception_ptr, Result result) { *slot = std::move(result); });
    return slot;
  }

  // Runs one command to completion.
  Result Run(RedisAsyncClient& client, std::vector<std::string> args) {
    auto slot = Start(client, std::move(args));
    if (!RunUntil([&] { return slot->has_value(); })) {
      return absl::InternalError("test: the command did not complete");
    }
    return std::move(**slot);
  }

  asio::io_context io_;
  std::unique_ptr<testing::RedisServer> server_;
};

// A value written with SET is read back by GET, and SET answers the status OK.
TEST_F(RedisAsyncClientTest, SetThenGetRoundTrips) {
  auto client = ConnectedClient();
  const Result set = Run(*client, {"SET", "greeting", "hello"});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->type, RedisReply::Type::kStatus);
  EXPECT_EQ(set->str, "OK");
  const Result get = Run(*client, {"GET", "greeting"});
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->type, RedisReply::Type::kString);
  EXPECT_EQ(get->str, "hello");
}

// Keys and values containing NUL and CR/LF bytes go out and come back unchanged.
TEST_F(RedisAsyncClientTest, ArgumentsAndRepliesAreBinarySafe) {
  auto client = ConnectedClient();
  const std::string key("k\0ey", 4);
  const std::string value("a\0b\r\n\xff\0", 7);
  ASSERT_TRUE(Run(*client, {"SET", key, value}).ok());
  const Result get = Run(*client, {"GET", key});
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->str, value);
  EXPECT_EQ(get->str.size(), 7u);
}

// An integer reply carries its value.
TEST_F(RedisAsyncClientTest, IntegerReply) {
  auto client = ConnectedClient();
  const Result reply = Run(*client, {"INCRBY", "counter", "-42"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->type, RedisReply::Type::kInteger);
  EXPECT_EQ(reply->integer, -42);
}

// An array reply carries its elements in order.
TEST_F(RedisAsyncClientTest, ArrayReply) {
  auto client = ConnectedClient();
  ASSERT_TRUE(Run(*client, {"RPUSH", "list", "a", "b", "c"}).ok());
  const Result reply = Run(*client, {"LRANGE", "list", "0", "-1"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->type, RedisReply::Type::kArray);
  ASSERT_EQ(reply->elements.size(), 3u);
  EXPECT_EQ(reply->elements[0].str, "a");
  EXPECT_EQ(reply->elements[2].str, "c");
}

// A missing key reads as a nil reply.
TEST_F(RedisAsyncClientTest, NilReply) {
  auto client = ConnectedClient();
  const Result reply = Run(*client, {"GET", "no-such-key"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->type, RedisReply::Type::kNil);
}

// A Redis error is a reply of type kError, not a failed status, and the client stays usable.
TEST_F(RedisAsyncClientTest, ErrorReplyIsAReply) {
  auto client = ConnectedClient();
  ASSERT_TRUE(Run(*client, {"SET", "text", "not a number"}).ok());
  const Result reply = Run(*client, {"INCR", "text"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_TRUE(reply->is_error());
  EXPECT_TRUE(reply->str.starts_with("ERR")) << reply->str;
  EXPECT_TRUE(Run(*client, {"PING"}).ok());
}

// A thousand INCRs issued at once from separate coroutines all succeed and none is lost.
TEST_F(RedisAsyncClientTest, ConcurrentPipelinedCommandsAllComplete) {
  auto client = ConnectedClient();
  constexpr int kCommands = 1000;
  int succeeded = 0;
  int completed = 0;
  for (int i = 0; i < kCommands; ++i) {
    asio::co_spawn(io_, client->Command({"INCR", "counter"}),
                   [&](std::exception_ptr, Result result) {
                     ++completed;
                     if (result.ok() && result->type == RedisReply::Type::kInteger) ++succeeded;
                   });
  }
  ASSERT_TRUE(RunUntil([&] { return completed == kCommands; }));
  EXPECT_EQ(succeeded, kCommands);
  const Result total = Run(*client, {"GET", "counter"});
  ASSERT_TRUE(total.ok()) << total.status();
  EXPECT_EQ(total->str, "1000");
}

// EVAL runs a Lua script with keys and arguments and returns its mixed-type array.
TEST_F(RedisAsyncClientTest, EvalRunsALuaScript) {
  auto client = ConnectedClient();
  const Result reply = Run(*client, {"EVAL",
                                     "redis.call('SET', KEYS[1], ARGV[1]) "
                                     "return {redis.call('GET', KEYS[1]), 42}",
                                     "1", "script-key", "from-lua"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->type, RedisReply::Type::kArray);
  ASSERT_EQ(reply->elements.size(), 2u);
  EXPECT_EQ(reply->elements[0].str, "from-lua");
  EXPECT_EQ(reply->elements[1].type, RedisReply::Type::kInteger);
  EXPECT_EQ(reply->elements[1].integer, 42);
}

// A command with no arguments is refused without touching the connection.
TEST_F(RedisAsyncClientTest, EmptyCommandIsInvalidArgument) {
  auto client = ConnectedClient();
  EXPECT_EQ(Run(*client, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

// SUBSCRIBE would make hiredis answer one command many times, so it is refused.
TEST_F(RedisAsyncClientTest, PushModeCommandIsInvalidArgument) {
  auto client = ConnectedClient();
  EXPECT_EQ(Run(*client, {"subscribe", "news"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Run(*client, {"PING"}).ok());
}

// With redis-server stopped, a command fails with Unavailable at once instead of waiting for
// its deadline (command_timeout is 5 s here, so DeadlineExceeded would mean it waited).
TEST_F(RedisAsyncClientTest, CommandWhileRedisIsDownIsUnavailable) {
  auto client = ConnectedClient();
  server_->Stop();
  const Result first = Run(*client, {"PING"});
  EXPECT_EQ(first.status().code(), absl::StatusCode::kUnavailable) << first.status();
  ASSERT_TRUE(RunUntil([&] { return !client->connected(); }));
  const Result later = Run(*client, {"PING"});
  EXPECT_EQ(later.status().code(), absl::StatusCode::kUnavailable) << later.status();
}

// Commands waiting for a reply when redis-server goes away complete Unavailable, not at their
// deadline (5 s here).
TEST_F(RedisAsyncClientTest, CommandsInFlightWhenRedisStopsAreUnavailable) {
  auto client = ConnectedClient();
  auto blocked = Start(*client, {"BLPOP", "empty-list", "30"});
  auto behind = Start(*client, {"GET", "k"});
  RunFor(milliseconds(50));  // both written; BLPOP holds the reply to GET back
  server_->Stop();
  ASSERT_TRUE(RunUntil([&] { return blocked->has_value() && behind->has_value(); }));
  EXPECT_EQ((*blocked)->status().code(), absl::StatusCode::kUnavailable) << (*blocked)->status();
  EXPECT_EQ((*behind)->status().code(), absl::StatusCode::kUnavailable) << (*behind)->status();
}

// A command issued as soon as the client is created waits for the first connection and
// succeeds (clients are typically created on first use).
TEST_F(RedisAsyncClientTest, FirstCommandWaitsForTheFirstConnection) {
  auto client = NewClient(Endpoint());
  EXPECT_FALSE(client->connected());
  const Result reply = Run(*client, {"PING"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, "PONG");
}

// A client started while Redis is down fails its first command with Unavailable, naming the
// endpoint, once the first connection attempt fails.
TEST_F(RedisAsyncClientTest, ClientStartedWhileRedisIsDownIsUnavailable) {
  server_->Stop();
  auto client = NewClient(Endpoint());
  const Result reply = Run(*client, {"PING"});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(ToStd(reply.status().message()).find(Endpoint().Describe()), std::string_view::npos)
      << reply.status();
}

// After redis-server restarts, the client reconnects by itself and commands succeed again.
TEST_F(RedisAsyncClientTest, ReconnectsAfterRedisRestarts) {
  auto client = ConnectedClient();
  server_->Stop();
  ASSERT_TRUE(RunUntil([&] { return !client->connected(); }));
  RunFor(milliseconds(300));  // several failed attempts, so backoff has grown
  server_->Start();
  ASSERT_TRUE(RunUntil([&] { return client->connected(); }));
  ASSERT_TRUE(Run(*client, {"SET", "after", "restart"}).ok());
  const Result get = Run(*client, {"GET", "after"});
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->str, "restart");
}

// A command without a reply within command_timeout fails with DeadlineExceeded.
TEST_F(RedisAsyncClientTest, SlowCommandIsDeadlineExceeded) {
  RedisClientOptions options = FastOptions();
  options.command_timeout = milliseconds(200);
  auto client = ConnectedClient(options);
  const Result reply = Run(*client, {"BLPOP", "empty-list", "5"});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDeadlineExceeded) << reply.status();
}

// After a deadline drops the connection, the client reconnects and serves commands again.
TEST_F(RedisAsyncClientTest, RecoversAfterADeadline) {
  RedisClientOptions options = FastOptions();
  options.command_timeout = milliseconds(200);
  auto client = ConnectedClient(options);
  ASSERT_EQ(Run(*client, {"BLPOP", "empty-list", "5"}).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  ASSERT_TRUE(RunUntil([&] { return client->connected(); }));
  const Result reply = Run(*client, {"PING"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, "PONG");
}

// Commands queued behind a timed-out one on the same connection complete Unavailable when
// the connection is dropped, each exactly once.
TEST_F(RedisAsyncClientTest, CommandsBehindATimedOutOneAreUnavailable) {
  RedisClientOptions options = FastOptions();
  options.command_timeout = milliseconds(300);
  auto client = ConnectedClient(options);
  auto blocked = Start(*client, {"BLPOP", "empty-list", "5"});
  RunFor(milliseconds(50));  // later deadlines than the BLPOP's
  int completions = 0;
  std::vector<Result> behind;
  for (int i = 0; i < 3; ++i) {
    asio::co_spawn(io_, client->Command({"GET", "k"}), [&](std::exception_ptr, Result result) {
      ++completions;
      behind.push_back(std::move(result));
    });
  }
  ASSERT_TRUE(RunUntil([&] { return blocked->has_value() && completions == 3; }));
  EXPECT_EQ((*blocked)->status().code(), absl::StatusCode::kDeadlineExceeded);
  for (const Result& result : behind) {
    EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
  }
  RunFor(milliseconds(400));  // past every deadline: a second completion would show
  EXPECT_EQ(completions, 3);
}

// A server that accepts TCP but never answers AUTH keeps the client disconnected: the connect
// deadline covers the handshake.
TEST_F(RedisAsyncClientTest, UnansweredHandshakeHitsTheConnectDeadline) {
  asio::ip::tcp::acceptor silent(io_, {asio::ip::make_address("127.0.0.1"), 0});
  RedisClientOptions options = FastOptions();
  options.connect_timeout = milliseconds(100);
  auto client = NewClient(RedisEndpoint{.host = "127.0.0.1",
                                        .port = silent.local_endpoint().port(),
                                        .password = "pw",
                                        .db = 0,
                                        .sentinels = {},
                                        .master_name = {},
                                        .wait_replicas = 0},
                          options);
  RunFor(milliseconds(400));
  EXPECT_FALSE(client->connected());
  const Result reply = Run(*client, {"PING"});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(ToStd(reply.status().message()).find("connect timed out"), std::string_view::npos)
      << reply.status();
}

// A password in the endpoint is sent with AUTH, so a server that requires it answers.
TEST_F(RedisAsyncClientTest, AuthenticatesWithTheEndpointPassword) {
  auto admin = ConnectedClient();
  ASSERT_TRUE(Run(*admin, {"CONFIG", "SET", "requirepass", "s3cret-pw"}).ok());
  RedisEndpoint endpoint = Endpoint();
  endpoint.password = "s3cret-pw";
  auto client = NewClient(endpoint);
  ASSERT_TRUE(RunUntil([&] { return client->connected(); }));
  const Result reply = Run(*client, {"PING"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, "PONG");
  EXPECT_TRUE(Run(*admin, {"CONFIG", "SET", "requirepass", ""}).ok());
}

// A wrong password keeps the client disconnected; the status says why without the password.
TEST_F(RedisAsyncClientTest, WrongPasswordIsUnavailableWithoutLeakingIt) {
  auto admin = ConnectedClient();
  ASSERT_TRUE(Run(*admin, {"CONFIG", "SET", "requirepass", "right-pw"}).ok());
  RedisEndpoint endpoint = Endpoint();
  endpoint.password = "wrong-pw";
  auto client = NewClient(endpoint);
  RunFor(milliseconds(200));
  EXPECT_FALSE(client->connected());
  const Result reply = Run(*client, {"PING"});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  const std::string_view message = ToStd(reply.status().message());
  EXPECT_NE(message.find("WRONGPASS"), std::string_view::npos) << message;
  EXPECT_EQ(message.find("wrong-pw"), std::string_view::npos) << message;
  EXPECT_TRUE(Run(*admin, {"CONFIG", "SET", "requirepass", ""}).ok());
}

// The database number in the endpoint is selected on connect.
TEST_F(RedisAsyncClientTest, SelectsTheEndpointDatabase) {
  RedisEndpoint db3 = Endpoint();
  db3.db = 3;
  auto in_db3 = NewClient(db3);
  auto in_db0 = ConnectedClient();
  ASSERT_TRUE(RunUntil([&] { return in_db3->connected(); }));
  ASSERT_TRUE(Run(*in_db3, {"SET", "where", "three"}).ok());
  const Result from_db0 = Run(*in_db0, {"GET", "where"});
  ASSERT_TRUE(from_db0.ok()) << from_db0.status();
  EXPECT_EQ(from_db0->type, RedisReply::Type::kNil);
  const Result from_db3 = Run(*in_db3, {"GET", "where"});
  ASSERT_TRUE(from_db3.ok()) << from_db3.status();
  EXPECT_EQ(from_db3->str, "three");
}

// Destroying the client with commands in flight completes each of them Unavailable.
TEST_F(RedisAsyncClientTest, DestroyingTheClientCompletesCommandsInFlight) {
  auto client = ConnectedClient();
  std::vector<std::shared_ptr<std::optional<Result>>> in_flight;
  in_flight.push_back(Start(*client, {"BLPOP", "empty-list", "5"}));
  for (int i = 0; i < 10; ++i) in_flight.push_back(Start(*client, {"GET", "k"}));
  RunFor(milliseconds(50));  // all written, none answered (they wait behind BLPOP)
  client.reset();
  ASSERT_TRUE(RunUntil([&] {
    for (const auto& slot : in_flight) {
      if (!slot->has_value()) return false;
    }
    return true;
  }));
  for (const auto& slot : in_flight) {
    EXPECT_EQ((*slot)->status().code(), absl::StatusCode::kUnavailable) << (*slot)->status();
  }
}

// Destroying the client before its first connect attempt completes is clean.
TEST_F(RedisAsyncClientTest, DestroyingTheClientWhileConnectingIsClean) {
  auto client = NewClient(Endpoint());
  io_.poll();  // the connect attempt starts; its completion is still pending
  client.reset();
  RunFor(milliseconds(50));
  SUCCEED();
}

}  // namespace
}  // namespace tollgate::storage
