// A fleet behind a real load balancer: HAProxy (Debian's haproxy) running deploy/fleet/
// haproxy.cfg in front of three tollgate instances sharing one real redis-server, all on
// loopback. 600 concurrent downloads of a token limited to 50 through the balancer give
// exactly 50, also when one instance is killed with SIGKILL in the middle; per-client limits
// see the client named in X-Forwarded-For, not the proxy; a token disabled through one instance
// is refused by all of them.
#include <signal.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "boost/json/object.hpp"
#include "gtest/gtest.h"
#include "haproxy_server.h"
#include "http_client.h"
#include "redis_server.h"
#include "response_assertions.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

constexpr std::string_view kPackage = "pool/agent_2.1.0_amd64.deb";
constexpr int kInstances = 3;

class FleetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::string> args = {"--redis",      redis_.url(),      "--trusted-proxy",
                                     "127.0.0.1/32", "--dedupe-window", "0"};
    ASSERT_TRUE(instances_[0].Start(args));
    instances_[0].CreateRepo("agents");
    instances_[0].PlaceFile("agents", kPackage, std::string(4096, 'p'));
    // Instances sharing Redis serve the same artifacts folder.
    args.insert(args.end(), {"--artifacts", instances_[0].artifacts_dir().string()});
    for (int i = 1; i < kInstances; ++i) ASSERT_TRUE(instances_[i].Start(args));
    Environment env{{"TOLLGATE_LB_MAXCONN", "1000"}};
    for (int i = 0; i < kInstances; ++i) {
      env[Concat("TOLLGATE_", i + 1)] = Concat("127.0.0.1:", instances_[i].download_port());
      env[Concat("TOLLGATE_ADMIN_PORT_", i + 1)] = Concat(instances_[i].admin_port());
    }
    balancer_ = std::make_unique<HaproxyServer>(
        std::filesystem::path(TOLLGATE_SOURCE_DIR) / "deploy/fleet/haproxy.cfg", env);
  }

  std::string Token(json::object fields) {
    fields["name"] = "customer";
    const json::object token = instances_[0].CreateToken("agents", std::move(fields));
    identifier_ = JsonString(token, "identifier");
    const std::string secret = JsonString(token, "token");
    // Every instance knows it (through Redis's change channel) before the test goes on.
    for (const TollgateProcess& instance : instances_) {
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (instance.download().Request("HEAD", Url(secret)).status != 200 &&
             std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(milliseconds(10));
      }
    }
    return secret;
  }

  static std::string Url(const std::string& token) {
    return Concat("/", token, "/default/agents/", kPackage);
  }

  int64_t Downloads() const {
    const HttpResponse usage = instances_[0].Admin(
        "GET", Concat("/api/v1/entitlements/default/agents/", identifier_, "/usage/"));
    return ParseJson(usage.body).as_object().at("downloads").as_int64();
  }

  RedisServer redis_;
  std::array<TollgateProcess, kInstances> instances_;
  std::unique_ptr<HaproxyServer> balancer_;
  std::string identifier_;
};

// What clients of the balancer saw: final outcomes after their retries, and how many
// attempts failed in transport (the balancer's 502/503, or a cut connection).
struct Outcomes {
  std::atomic<int> ok{0};
  std::atomic<int> limit_reached{0};
  std::atomic<int> other{0};
  std::atomic<int> failed_attempts{0};
};

TEST_F(FleetTest, ExactLimitThroughTheBalancerWithAnInstanceKilled) {
  const std::string target = Url(Token({{"limit_num_downloads", 50}}));
  constexpr int kDownloads = 600;
  constexpr int kThreads = 16;
  Outcomes outcomes;
  std::atomic<int> next{0};
  std::atomic<int> done{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kThreads; ++t) {
    clients.emplace_back([&, t] {
      // Each client thread from its own loopback address.
      const std::string address = Concat("127.0.0.", 2 + t);
      for (int i = next++; i < kDownloads; i = next++) {
        int status = 0;
        for (int attempt = 0; attempt < 5; ++attempt) {
          try {
            const HttpResponse response = HttpClient(balancer_->port(), address).Get(target);
            status = response.status;
            if (status == 403 && response.Header("X-Tollgate-Reason") != "download_limit_reached") {
              status = -1;
            }
          } catch (const std::exception&) {
            status = 0;
          }
          if (status != 0 && status != 502 && status != 503) break;
          ++outcomes.failed_attempts;
          std::this_thread::sleep_for(milliseconds(50));
        }
        if (status == 200) {
          ++outcomes.ok;
        } else if (status == 403) {
          ++outcomes.limit_reached;
        } else {
          ++outcomes.other;
        }
        ++done;
      }
    });
  }
  // One instance dies without a word while downloads are under way.
  while (done < 20) std::this_thread::sleep_for(milliseconds(1));
  instances_[1].Signal(SIGKILL);
  for (std::thread& client : clients) client.join();

  std::printf("fleet: %d ok, %d limit_reached, %d other, %d failed attempts retried\n",
              outcomes.ok.load(), outcomes.limit_reached.load(), outcomes.other.load(),
              outcomes.failed_attempts.load());
  EXPECT_EQ(Downloads(), 50);  // the ledger counted exactly the limit
  EXPECT_EQ(outcomes.other, 0);
  EXPECT_EQ(outcomes.ok + outcomes.limit_reached, kDownloads);
  // A download the killed instance had counted but not sent is the only way a client can see
  // fewer than 50: at most one per failed attempt.
  EXPECT_LE(outcomes.ok, 50);
  EXPECT_GE(outcomes.ok, 50 - outcomes.failed_attempts);
}

// Per-client limits count the client the balancer names in X-Forwarded-For (the instances
// trust the balancer's address), not the balancer.
TEST_F(FleetTest, ClientLimitSeesTheClientBehindTheBalancer) {
  const std::string target = Url(Token({{"limit_num_clients", 2}}));
  EXPECT_EQ(HttpClient(balancer_->port(), "127.0.0.2").Get(target).status, 200);
  EXPECT_EQ(HttpClient(balancer_->port(), "127.0.0.3").Get(target).status, 200);
  EXPECT_TRUE(IsDenial(HttpClient(balancer_->port(), "127.0.0.4").Get(target), 403,
                       "client_limit_reached"));
  // A client naming itself in the header it sends is still known by its own address.
  EXPECT_TRUE(IsDenial(
      HttpClient(balancer_->port(), "127.0.0.5").Get(target, {{"X-Forwarded-For", "127.0.0.2"}}),
      403, "client_limit_reached"));
  EXPECT_EQ(HttpClient(balancer_->port(), "127.0.0.2").Get(target).status, 200);
}

// A token disabled through one instance is refused by every instance (SPEC: within 1 s; the
// time is printed, not asserted, so a loaded CI machine cannot fail it).
TEST_F(FleetTest, DisabledTokenIsRefusedByEveryInstance) {
  const std::string target = Url(Token({}));
  ASSERT_EQ(HttpClient(balancer_->port()).Get(target).status, 200);
  ASSERT_EQ(
      instances_[0]
          .Admin("POST", Concat("/api/v1/entitlements/default/agents/", identifier_, "/disable/"))
          .status,
      200);
  const auto started = std::chrono::steady_clock::now();
  for (const TollgateProcess& instance : instances_) {
    int status = 0;
    while (std::chrono::steady_clock::now() - started < std::chrono::seconds(3)) {
      status = instance.download().Get(target).status;
      if (status == 403) break;
      std::this_thread::sleep_for(milliseconds(10));
    }
    EXPECT_EQ(status, 403) << "instance on port " << instance.download_port();
  }
  std::printf("disable reached all %d instances after %lld ms\n", kInstances,
              static_cast<long long>(std::chrono::duration_cast<milliseconds>(
                                         std::chrono::steady_clock::now() - started)
                                         .count()));
  EXPECT_TRUE(IsDenial(HttpClient(balancer_->port()).Get(target), 403, "token_disabled"));
}

}  // namespace
}  // namespace tollgate::testing
