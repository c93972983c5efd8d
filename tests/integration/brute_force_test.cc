// Brute force on the real binary: a client that sends too many invalid credentials is answered
// 429 too_many_failed_attempts with Retry-After — valid credentials included — while every other
// client is served; on the embedded store, across two instances sharing a real redis-server,
// and on the admin listener; and the block ends by itself.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "http_client.h"
#include "redis_server.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

constexpr std::string_view kFile = "tool-1.0.tar.gz";
constexpr std::string_view kAttacker = "127.0.0.9";
constexpr std::string_view kBystander = "127.0.0.10";

// A well-formed token that no repository knows.
std::string GuessedToken(int i) { return Concat("guess", std::string(20, 'x'), i); }

class BruteForceTest : public ::testing::TestWithParam<bool> {
 protected:
  // Starts one instance (two on one Redis with `two_instances`), a private repository with a
  // file, and a valid token.
  void Start(bool two_instances, std::vector<std::string> extra = {}) {
    if (GetParam()) {
      redis_ = std::make_unique<RedisServer>();
      extra.insert(extra.end(), {"--redis", redis_->url()});
    }
    ASSERT_TRUE(first_.Start(extra));
    first_.CreateRepo("agents");
    first_.PlaceFile("agents", kFile, "tool bytes");
    token_ = first_.CreateTokenString("agents");
    if (two_instances) {
      extra.insert(extra.end(), {"--artifacts", first_.artifacts_dir().string()});
      ASSERT_TRUE(second_.Start(extra));
    }
  }

  static HttpResponse Get(const TollgateProcess& instance, std::string_view from,
                          const std::string& token) {
    return HttpClient(instance.download_port(), std::string(from))
        .Get(Concat("/", token, "/default/agents/", kFile));
  }

  std::unique_ptr<RedisServer> redis_;
  TollgateProcess first_;
  TollgateProcess second_;
  std::string token_;
};

void ExpectBlocked(const HttpResponse& response) {
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.Header("X-Tollgate-Reason"), "too_many_failed_attempts");
  const std::string retry_after = response.Header("Retry-After");
  ASSERT_FALSE(retry_after.empty());
  EXPECT_GE(std::stoi(retry_after), 1);
  EXPECT_LE(std::stoi(retry_after), 60);
}

// 60 invalid tokens in a row: the first 20 are 401, the rest 429; then even the valid token is
// 429 from that address, while another address downloads with it and anonymous requests of the
// attacker are not affected.
TEST_P(BruteForceTest, InvalidTokensBlockOnlyTheirClient) {
  Start(false);
  first_.CreateRepo("open", "public");
  first_.PlaceFile("open", kFile, "public bytes");
  int unauthorized = 0;
  for (int i = 0; i < 60; ++i) {
    const HttpResponse response = Get(first_, kAttacker, GuessedToken(i));
    if (response.status == 401) {
      ++unauthorized;
    } else {
      ExpectBlocked(response);
    }
  }
  EXPECT_EQ(unauthorized, 20);
  ExpectBlocked(Get(first_, kAttacker, token_));
  EXPECT_EQ(Get(first_, kBystander, token_).status, 200);
  EXPECT_EQ(HttpClient(first_.download_port(), std::string(kAttacker))
                .Get(Concat("/public/default/open/", kFile))
                .status,
            200);
  EXPECT_TRUE(first_.WaitForLog("client_blocked"));
}

// Invalid credentials in the Authorization header count the same.
TEST_P(BruteForceTest, InvalidBasicCredentialsBlock) {
  Start(false, {"--auth-fail-limit", "3"});
  const std::string target = Concat("/basic/default/agents/", kFile);
  HttpClient attacker(first_.download_port(), std::string(kAttacker));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        attacker.Get(target, {{"Authorization", BasicAuthorization("admin", GuessedToken(i))}})
            .status,
        401);
  }
  ExpectBlocked(
      attacker.Get(target, {{"Authorization", BasicAuthorization("x", GuessedToken(9))}}));
  ExpectBlocked(attacker.Get(target, {{"Authorization", Concat("Bearer ", token_)}}));
}

// A block ends after --auth-block, and the client's valid token works again.
TEST_P(BruteForceTest, BlockEndsByItself) {
  Start(false, {"--auth-fail-limit", "2", "--auth-block", "2s"});
  for (int i = 0; i < 3; ++i) Get(first_, kAttacker, GuessedToken(i));
  ExpectBlocked(Get(first_, kAttacker, token_));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(Get(first_, kAttacker, token_).status, 200);
}

// Bad API keys and entitlement tokens presented to the admin listener count the same; another
// address keeps using the admin API.
TEST_P(BruteForceTest, AdminListenerBlocksBadKeys) {
  Start(false);
  HttpClient attacker(first_.admin_port(), std::string(kAttacker));
  int unauthorized = 0;
  HttpResponse last;
  for (int i = 0; i < 60; ++i) {
    // Every other guess is a real entitlement token: the listener must not tell them apart for
    // ever.
    const std::string key = i % 2 == 0 ? GuessedToken(i) : token_;
    last = attacker.Get("/api/v1/user/self", {{"X-Api-Key", key}});
    if (last.status == 401) ++unauthorized;
  }
  EXPECT_EQ(unauthorized, 20);
  EXPECT_EQ(last.status, 429);
  EXPECT_EQ(last.Header("Retry-After").empty(), false);
  EXPECT_NE(last.body.find("too_many_failed_attempts"), std::string::npos) << last.body;
  EXPECT_EQ(attacker.Get("/api/v1/user/self", {{"X-Api-Key", first_.admin_key()}}).status, 429);
  EXPECT_EQ(HttpClient(first_.admin_port(), std::string(kBystander))
                .Get("/api/v1/user/self", {{"X-Api-Key", first_.admin_key()}})
                .status,
            200);
  EXPECT_EQ(attacker.Get("/healthz").status, 200);  // no credentials, not refused
}

INSTANTIATE_TEST_SUITE_P(BothStores, BruteForceTest, ::testing::Values(false, true),
                         [](const auto& param_info) {
                           return param_info.param ? "Redis" : "Embedded";
                         });

// Two instances on one Redis share the count: 15 failures on each block the client on both.
class SharedBruteForceTest : public BruteForceTest {};

TEST_P(SharedBruteForceTest, InstancesShareTheCount) {
  Start(true);
  int unauthorized = 0;
  for (int i = 0; i < 30; ++i) {
    const TollgateProcess& instance = i % 2 == 0 ? first_ : second_;
    if (Get(instance, kAttacker, GuessedToken(i)).status == 401) ++unauthorized;
  }
  EXPECT_EQ(unauthorized, 20);
  ExpectBlocked(Get(first_, kAttacker, GuessedToken(100)));
  ExpectBlocked(Get(second_, kAttacker, GuessedToken(101)));
  ExpectBlocked(Get(second_, kAttacker, token_));
}

INSTANTIATE_TEST_SUITE_P(Redis, SharedBruteForceTest, ::testing::Values(true),
                         [](const auto&) { return "Redis"; });

}  // namespace
}  // namespace tollgate::testing
