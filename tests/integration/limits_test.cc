// Counted limits on the real binary (SPEC §4.2–4.5): exact download, client and bandwidth
// limits — on the embedded store and across two instances sharing a real redis-server —,
// the dedupe window, revocation across instances, store outages and restarts.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "boost/json/object.hpp"
#include "gtest/gtest.h"
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

// Fires `count` GETs of `target` from `threads` threads, spreading them over `ports`;
// returns how many were answered 200.
int ConcurrentDownloads(const std::vector<uint16_t>& ports, const std::string& target, int count,
                        int threads = 8) {
  std::atomic<int> ok{0};
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = next++; i < count; i = next++) {
        try {
          if (HttpClient(ports[static_cast<size_t>(i) % ports.size()]).Get(target).status == 200) {
            ++ok;
          }
        } catch (const std::exception&) {
          // a failed connection is not a 200; the count check reports it
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  return ok.load();
}

class LimitsTest : public ::testing::Test {
 protected:
  // Starts instance `first_` (and `second_` when `two_instances`), on Redis when given.
  void StartInstances(bool use_redis, bool two_instances, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = std::move(extra);
    if (use_redis) {
      redis_ = std::make_unique<RedisServer>();
      args.insert(args.end(), {"--redis", redis_->url()});
    }
    ASSERT_TRUE(first_.Start(args));
    first_.CreateRepo("agents");
    first_.PlaceFile("agents", kPackage, std::string(100, 'p'));
    first_.PlaceFile("agents", "dists/stable/Release", "index\n");
    if (two_instances) {
      // Instances sharing Redis serve the same artifacts folder (SPEC §6).
      args.insert(args.end(), {"--artifacts", first_.artifacts_dir().string()});
      ASSERT_TRUE(second_.Start(args));
    }
  }

  std::string Token(json::object fields) {
    fields["name"] = "customer";
    const json::object token = first_.CreateToken("agents", std::move(fields));
    identifier_ = JsonString(token, "identifier");
    return JsonString(token, "token");
  }

  // Waits (5 s at most) until `instance` knows `token`: a token made through one instance
  // reaches the others through the change channel a moment later. HEAD counts nothing.
  static bool KnowsToken(const TollgateProcess& instance, const std::string& token) {
    for (const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
         std::chrono::steady_clock::now() < give_up;
         std::this_thread::sleep_for(milliseconds(10))) {
      if (instance.download().Request("HEAD", Url(token)).status == 200) return true;
    }
    return false;
  }

  static std::string Url(const std::string& token, std::string_view path = kPackage) {
    return Concat("/", token, "/default/agents/", path);
  }

  json::object Usage() {
    const HttpResponse response =
        first_.Admin("GET", Concat("/api/v1/entitlements/default/agents/", identifier_, "/usage/"));
    EXPECT_EQ(response.status, 200) << response.body;
    return ParseJson(response.body).as_object();
  }

  std::unique_ptr<RedisServer> redis_;
  TollgateProcess first_;
  TollgateProcess second_;
  std::string identifier_;
};

// (a) 200 concurrent GETs over two instances sharing Redis: exactly 20 of them succeed.
TEST_F(LimitsTest, DownloadLimitExactAcrossTwoInstances) {
  StartInstances(/*use_redis=*/true, /*two_instances=*/true, {"--dedupe-window", "0"});
  const std::string token = Token({{"limit_num_downloads", 20}});
  ASSERT_TRUE(KnowsToken(second_, token));
  EXPECT_EQ(ConcurrentDownloads({first_.download_port(), second_.download_port()}, Url(token), 200),
            20);
  EXPECT_EQ(Usage().at("downloads").as_int64(), 20);
}

// (a) The same on the embedded store with one instance.
TEST_F(LimitsTest, DownloadLimitExactOnEmbeddedStore) {
  StartInstances(/*use_redis=*/false, /*two_instances=*/false, {"--dedupe-window", "0"});
  const std::string token = Token({{"limit_num_downloads", 20}});
  EXPECT_EQ(ConcurrentDownloads({first_.download_port()}, Url(token), 200), 20);
  EXPECT_EQ(Usage().at("downloads").as_int64(), 20);
}

// (b) With two clients allowed, a third address is refused and the first is still served.
TEST_F(LimitsTest, ClientLimitByAddress) {
  StartInstances(/*use_redis=*/true, /*two_instances=*/false);
  const std::string token = Token({{"limit_num_clients", 2}});
  const uint16_t port = first_.download_port();
  EXPECT_EQ(HttpClient(port, "127.0.0.2").Get(Url(token)).status, 200);
  EXPECT_EQ(HttpClient(port, "127.0.0.3").Get(Url(token)).status, 200);
  EXPECT_TRUE(IsDenial(HttpClient(port, "127.0.0.4").Get(Url(token)), 403, "client_limit_reached"));
  EXPECT_EQ(HttpClient(port, "127.0.0.2").Get(Url(token)).status, 200);
  EXPECT_EQ(Usage().at("clients").as_int64(), 2);
}

// A HEAD registers no client and counts nothing.
TEST_F(LimitsTest, HeadCountsNothing) {
  StartInstances(/*use_redis=*/false, /*two_instances=*/false);
  const std::string token = Token({{"limit_num_clients", 1}, {"limit_num_downloads", 1}});
  const uint16_t port = first_.download_port();
  EXPECT_EQ(HttpClient(port, "127.0.0.2").Request("HEAD", Url(token)).status, 200);
  EXPECT_EQ(HttpClient(port, "127.0.0.3").Get(Url(token)).status, 200);
  EXPECT_EQ(Usage().at("clients").as_int64(), 1);
}

// (c) Bandwidth: used + this response's length may reach the limit, never pass it.
TEST_F(LimitsTest, BandwidthLimitIsExact) {
  StartInstances(/*use_redis=*/true, /*two_instances=*/false, {"--dedupe-window", "0"});
  const std::string token = Token({{"limit_bandwidth", 250}, {"limit_bandwidth_unit", "byte"}});
  const uint16_t port = first_.download_port();
  EXPECT_EQ(HttpClient(port).Get(Url(token)).status, 200);
  EXPECT_EQ(HttpClient(port).Get(Url(token)).status, 200);
  EXPECT_TRUE(IsDenial(HttpClient(port).Get(Url(token)), 403, "bandwidth_limit_reached"));
  const HttpResponse part = HttpClient(port).Get(Url(token), {{"Range", "bytes=0-49"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_TRUE(IsDenial(HttpClient(port).Get(Url(token), {{"Range", "bytes=0-0"}}), 403,
                       "bandwidth_limit_reached"));
  EXPECT_EQ(Usage().at("bandwidth").as_int64(), 250);
}

// (d) Repeats inside the dedupe window count once; index files never count.
TEST_F(LimitsTest, DedupeWindowCountsRepeatsOnce) {
  StartInstances(/*use_redis=*/true, /*two_instances=*/false);
  const std::string token = Token({{"limit_num_downloads", 1}});
  const uint16_t port = first_.download_port();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(HttpClient(port).Get(Url(token)).status, 200) << i;
  EXPECT_EQ(HttpClient(port).Get(Url(token, "dists/stable/Release")).status, 200);
  const json::object usage = Usage();
  EXPECT_EQ(usage.at("downloads").as_int64(), 1);
  EXPECT_EQ(usage.at("bandwidth").as_int64(), 300);
}

// (e) A token disabled through instance 1 is refused by instance 2 (SPEC §4.3: within 1 s;
// the time taken is printed, not asserted, so a loaded CI machine cannot fail it).
TEST_F(LimitsTest, DisableReachesTheOtherInstanceWithinASecond) {
  StartInstances(/*use_redis=*/true, /*two_instances=*/true);
  const std::string token = Token({});
  ASSERT_TRUE(KnowsToken(second_, token));
  ASSERT_EQ(HttpClient(second_.download_port()).Get(Url(token)).status, 200);
  const HttpResponse disabled = first_.Admin(
      "POST", Concat("/api/v1/entitlements/default/agents/", identifier_, "/disable/"));
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  const auto started = std::chrono::steady_clock::now();
  int status = 0;
  while (std::chrono::steady_clock::now() - started < std::chrono::seconds(3)) {
    status = HttpClient(second_.download_port()).Get(Url(token)).status;
    if (status == 403) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(status, 403);
  std::printf("disable reached the second instance after %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<milliseconds>(
                                         std::chrono::steady_clock::now() - started)
                                         .count()));
}

// (f) Redis down: limited tokens get 503 store_unavailable, unlimited ones keep working;
// everything recovers once Redis is back, without a restart.
TEST_F(LimitsTest, StoreOutageFailsClosedThenRecovers) {
  StartInstances(/*use_redis=*/true, /*two_instances=*/false);
  const std::string limited = Token({{"limit_num_downloads", 100}});
  const std::string unlimited = Token({});
  const uint16_t port = first_.download_port();
  ASSERT_EQ(HttpClient(port).Get(Url(limited)).status, 200);
  redis_->Stop();
  EXPECT_TRUE(IsDenial(HttpClient(port).Get(Url(limited)), 503, "store_unavailable"));
  EXPECT_EQ(HttpClient(port).Get(Url(unlimited)).status, 200);
  EXPECT_EQ(HttpClient(first_.admin_port()).Get("/readyz").status, 503);
  redis_->Start();
  // The restarted server lost its data (no persistence in the fixture); the instance
  // reconnects and its writes go through again. The token itself lives on in the replica
  // until the next reload, so only the ledger's recovery is asserted here.
  int status = 0;
  for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {  // up to ~5 s
    std::this_thread::sleep_for(milliseconds(50));
    status = HttpClient(first_.admin_port()).Get("/readyz").status;
  }
  EXPECT_EQ(status, 200);
}

// Past --stale-grace without Redis, tokens without counted limits are refused too.
TEST_F(LimitsTest, StaleGraceBoundsServiceFromTheCache) {
  StartInstances(/*use_redis=*/true, /*two_instances=*/false, {"--stale-grace", "1s"});
  const std::string unlimited = Token({});
  const uint16_t port = first_.download_port();
  ASSERT_EQ(HttpClient(port).Get(Url(unlimited)).status, 200);
  redis_->Stop();
  EXPECT_EQ(HttpClient(port).Get(Url(unlimited)).status, 200);
  std::this_thread::sleep_for(milliseconds(2500));
  EXPECT_TRUE(IsDenial(HttpClient(port).Get(Url(unlimited)), 503, "store_unavailable"));
}

// (g) Embedded: counts survive a clean restart exactly.
TEST_F(LimitsTest, EmbeddedCountsSurviveCleanRestart) {
  StartInstances(/*use_redis=*/false, /*two_instances=*/false, {"--dedupe-window", "0"});
  const std::string token = Token({{"limit_num_downloads", 5}});
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(HttpClient(first_.download_port()).Get(Url(token)).status, 200);
  ASSERT_EQ(first_.Stop(), 0);
  ASSERT_TRUE(first_.Start({"--dedupe-window", "0"}));
  EXPECT_EQ(Usage().at("downloads").as_int64(), 3);
  EXPECT_EQ(ConcurrentDownloads({first_.download_port()}, Url(token), 10), 2);
}

// (g) Embedded: a kill -9 loses at most the last second of counts.
TEST_F(LimitsTest, EmbeddedKillLosesAtMostTheLastSecond) {
  StartInstances(/*use_redis=*/false, /*two_instances=*/false, {"--dedupe-window", "0"});
  const std::string token = Token({{"limit_num_downloads", 50}});
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(HttpClient(first_.download_port()).Get(Url(token)).status, 200);
  std::this_thread::sleep_for(milliseconds(1500));  // one flush interval has passed
  first_.Signal(SIGKILL);
  first_.WaitForExit(std::chrono::seconds(5));
  ASSERT_TRUE(first_.Start({"--dedupe-window", "0"}));
  EXPECT_EQ(Usage().at("downloads").as_int64(), 4);
}

// Reset puts usage back to zero and the limit applies afresh.
TEST_F(LimitsTest, ResetZeroesUsage) {
  StartInstances(/*use_redis=*/true, /*two_instances=*/false, {"--dedupe-window", "0"});
  const std::string token = Token({{"limit_num_downloads", 1}});
  const uint16_t port = first_.download_port();
  ASSERT_EQ(HttpClient(port).Get(Url(token)).status, 200);
  ASSERT_TRUE(IsDenial(HttpClient(port).Get(Url(token)), 403, "download_limit_reached"));
  const HttpResponse reset =
      first_.Admin("POST", Concat("/api/v1/entitlements/default/agents/", identifier_, "/reset/"));
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(Usage().at("downloads").as_int64(), 0);
  EXPECT_EQ(HttpClient(port).Get(Url(token)).status, 200);
}

// Usage shows in the API at once, with the token's JSON carrying it too.
TEST_F(LimitsTest, UsageIsVisibleAtOnce) {
  StartInstances(/*use_redis=*/true, /*two_instances=*/false, {"--dedupe-window", "0"});
  const std::string token = Token({});
  ASSERT_EQ(HttpClient(first_.download_port(), "127.0.0.5").Get(Url(token)).status, 200);
  // The download is recorded just after its last byte leaves, so the client may hold the
  // answer a moment before the instance holds the usage. "At once" is well inside the
  // ledger's 1 s write-behind: the instance's own unflushed usage is shown.
  json::object usage = Usage();
  for (int attempt = 0; attempt < 20 && usage.at("downloads").as_int64() == 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    usage = Usage();
  }
  EXPECT_EQ(usage.at("downloads").as_int64(), 1);
  EXPECT_EQ(usage.at("bandwidth").as_int64(), 100);
  EXPECT_FALSE(usage.at("last_downloaded_at").is_null());
  ASSERT_FALSE(usage.at("events").as_array().empty());
  EXPECT_EQ(usage.at("events").as_array()[0].as_object().at("client"), "127.0.0.5");
  const HttpResponse listed =
      first_.Admin("GET", Concat("/api/v1/entitlements/default/agents/", identifier_, "/"));
  EXPECT_EQ(ParseJson(listed.body).as_object().at("usage").as_object().at("downloads").as_int64(),
            1);
}

// X-Forwarded-For names the client only when the peer is a trusted proxy.
TEST_F(LimitsTest, ForwardedForOnlyFromTrustedProxies) {
  StartInstances(/*use_redis=*/false, /*two_instances=*/false, {"--trusted-proxy", "127.0.0.2/32"});
  const std::string token = Token({{"limit_num_clients", 1}});
  const uint16_t port = first_.download_port();
  EXPECT_EQ(
      HttpClient(port, "127.0.0.2").Get(Url(token), {{"X-Forwarded-For", "203.0.113.7"}}).status,
      200);
  // The same real client through the proxy again is served; another one is refused.
  EXPECT_EQ(
      HttpClient(port, "127.0.0.2").Get(Url(token), {{"X-Forwarded-For", "203.0.113.7"}}).status,
      200);
  EXPECT_TRUE(
      IsDenial(HttpClient(port, "127.0.0.2").Get(Url(token), {{"X-Forwarded-For", "203.0.113.8"}}),
               403, "client_limit_reached"));
  // An untrusted peer's header is ignored: it is its own client, and over the limit.
  EXPECT_TRUE(
      IsDenial(HttpClient(port, "127.0.0.3").Get(Url(token), {{"X-Forwarded-For", "203.0.113.7"}}),
               403, "client_limit_reached"));
}

// Behind a proxy that appends to X-Forwarded-For, a client cannot choose its address: not with a
// Forwarded header of its own, nor with an X-Forwarded-For line of its own before the proxy's.
TEST_F(LimitsTest, ClientsCannotSpoofTheirAddress) {
  StartInstances(/*use_redis=*/false, /*two_instances=*/false, {"--trusted-proxy", "127.0.0.2/32"});
  const std::string token = Token({{"limit_num_clients", 1}});
  const uint16_t port = first_.download_port();
  EXPECT_EQ(
      HttpClient(port, "127.0.0.2").Get(Url(token), {{"X-Forwarded-For", "203.0.113.7"}}).status,
      200);
  // Another client, naming the first one in a header the proxy does not use.
  EXPECT_TRUE(IsDenial(
      HttpClient(port, "127.0.0.2")
          .Get(Url(token), {{"Forwarded", "for=203.0.113.7"}, {"X-Forwarded-For", "203.0.113.8"}}),
      403, "client_limit_reached"));
  // Another client, naming the first one in its own X-Forwarded-For line; the proxy added a
  // second line with the real address.
  EXPECT_TRUE(IsDenial(HttpClient(port, "127.0.0.2")
                           .Get(Url(token), {{"X-Forwarded-For", "203.0.113.7"},
                                             {"X-Forwarded-For", "203.0.113.8"}}),
                       403, "client_limit_reached"));
}

// `init --redis` creates an org in Redis and prints its owner's key, which every instance
// on that Redis then accepts.
TEST_F(LimitsTest, InitCreatesAnOrgInRedis) {
  redis_ = std::make_unique<RedisServer>();
  const CommandResult init =
      RunTollgate({"init", "--redis", redis_->url(), "--org", "acme", "--owner", "alice"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string key = std::string(init.out.substr(0, init.out.find('\n')));
  ASSERT_FALSE(key.empty());
  ASSERT_TRUE(first_.Start({"--redis", redis_->url()}));
  const HttpResponse self =
      first_.admin().Request("GET", "/api/v1/user/self", {{"X-Api-Key", key}});
  EXPECT_EQ(self.status, 200) << self.body;
  EXPECT_NE(self.body.find("acme"), std::string::npos) << self.body;
  // A second init of the same org is refused, and prints no key.
  const CommandResult again = RunTollgate({"init", "--redis", redis_->url(), "--org", "acme"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_TRUE(again.out.empty());
}

}  // namespace
}  // namespace tollgate::testing
