// Redis failover under load: a master, two replicas and three Sentinels (real redis-server
// processes on loopback), and tollgate started with --redis-sentinel, --redis-master and
// --redis-wait-replicas 1. The master is killed with SIGKILL while a counted token is being
// downloaded: tollgate answers 503 store_unavailable during the switch, follows the promotion
// by itself, and never grants more downloads than the limit allows.
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
#include "run_command.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

constexpr std::string_view kMasterName = "tollgate";
constexpr int kLimit = 100;

// redis-cli -p PORT ARGS…, its output.
std::string RedisCli(int port, std::vector<std::string> args) {
  const std::string cli = FindProgram("redis-cli");
  args.insert(args.begin(), {"-p", std::to_string(port)});
  return RunCommand(cli, args).out;
}

// Waits (20 s at most) until `done()`.
bool WaitFor(const std::function<bool()>& done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(milliseconds(100));
  }
  return true;
}

TEST(SentinelTest, FailoverUnderLoadNeverGrantsMoreThanTheLimit) {
  ASSERT_FALSE(FindProgram("redis-cli").empty());
  RedisServer master;
  const std::string master_port = std::to_string(master.port());
  RedisServer replica_a(RedisData::kLostOnStop, {"--replicaof", "127.0.0.1", master_port});
  RedisServer replica_b(RedisData::kLostOnStop, {"--replicaof", "127.0.0.1", master_port});
  ASSERT_TRUE(WaitFor([&] {
    return RedisCli(master.port(), {"INFO", "replication"}).find("connected_slaves:2") !=
           std::string::npos;
  })) << RedisCli(master.port(), {"INFO", "replication"});
  std::vector<std::unique_ptr<RedisServer>> sentinels;
  std::string sentinel_list;
  for (int i = 0; i < 3; ++i) {
    sentinels.push_back(RedisServer::Sentinel(master.port(), std::string(kMasterName), 2));
    AppendTo(sentinel_list, i == 0 ? "" : ",", "127.0.0.1:", sentinels.back()->port());
  }
  // Every Sentinel knows both replicas and the other Sentinels before the test goes on.
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& sentinel : sentinels) {
      const std::string master_info =
          RedisCli(sentinel->port(), {"SENTINEL", "master", std::string(kMasterName)});
      if (master_info.find("num-slaves\n2") == std::string::npos ||
          master_info.find("num-other-sentinels\n2") == std::string::npos) {
        return false;
      }
    }
    return true;
  }));

  TollgateProcess tollgate;
  ASSERT_TRUE(
      tollgate.Start({"--redis-sentinel", sentinel_list, "--redis-master", std::string(kMasterName),
                      "--redis-wait-replicas", "1", "--dedupe-window", "0"}));
  tollgate.CreateRepo("agents");
  tollgate.PlaceFile("agents", "agent.bin", std::string(1024, 'a'));
  const json::object token =
      tollgate.CreateToken("agents", {{"name", "customer"}, {"limit_num_downloads", kLimit}});
  const std::string target = Concat("/", JsonString(token, "token"), "/default/agents/agent.bin");

  // Load: four clients download until the limit is reached (or 60 s pass).
  std::atomic<int> granted{0};
  std::atomic<int> granted_after_kill{0};
  std::atomic<int> store_unavailable{0};
  std::atomic<int> limit_reached{0};
  std::atomic<int> other{0};
  std::atomic<bool> killed{false};
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      while (limit_reached < 8 && std::chrono::steady_clock::now() < give_up) {
        int status = 0;
        std::string reason;
        try {
          const HttpResponse response = tollgate.download().Get(target);
          status = response.status;
          reason = response.Header("X-Tollgate-Reason");
        } catch (const std::exception&) {
        }
        if (status == 200) {
          ++granted;
          if (killed) ++granted_after_kill;
        } else if (status == 503 && reason == "store_unavailable") {
          ++store_unavailable;
        } else if (status == 403 && reason == "download_limit_reached") {
          ++limit_reached;
        } else {
          ++other;
        }
        std::this_thread::sleep_for(milliseconds(20));
      }
    });
  }
  ASSERT_TRUE(WaitFor([&] { return granted >= 20; }));
  master.Kill();
  killed = true;
  for (std::thread& client : clients) client.join();

  std::printf(
      "failover: %d granted (%d after the kill), %d store_unavailable, %d "
      "limit_reached, %d other\n",
      granted.load(), granted_after_kill.load(), store_unavailable.load(), limit_reached.load(),
      other.load());
  EXPECT_LE(granted, kLimit);        // never more than the limit
  EXPECT_GT(store_unavailable, 0);   // the switch was seen, and refused (fail closed)
  EXPECT_GT(granted_after_kill, 0);  // tollgate followed the promotion by itself
  EXPECT_GE(limit_reached, 8);       // and the new master enforces the same limit
  EXPECT_EQ(other, 0);
  const HttpResponse usage = tollgate.Admin(
      "GET",
      Concat("/api/v1/entitlements/default/agents/", JsonString(token, "identifier"), "/usage/"));
  ASSERT_EQ(usage.status, 200) << usage.body;
  // Every grant is on the new master; reservations refused after their WAIT may be as well.
  EXPECT_GE(ParseJson(usage.body).as_object().at("downloads").as_int64(), granted.load());
}

}  // namespace
}  // namespace tollgate::testing
