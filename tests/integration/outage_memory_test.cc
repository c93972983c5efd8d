// A 60 s Redis outage under load on the real binary: the usage and events an instance keeps
// for Redis stay within their budgets, so its memory stays bounded, and when Redis is back
// the kept usage is written and service goes on. Slow by nature; labelled `slow`.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "boost/json/object.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "redis_server.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr seconds kOutage{60};
// Paced, so the load is the same on a fast or a slow machine: 600 downloads/s in all.
constexpr int kLoadThreads = 3;
constexpr int kPerThreadPerSecond = 200;
// Then the thread connects again from the next loopback address: a new client, so the
// usage kept for Redis grows by entries as well as by counts.
constexpr int kRequestsPerConnection = 100;
// Well above the two 8 MiB budgets plus the allocator's slack; without the budgets, 60 s of
// this load keeps some 36 000 events of ~3 KiB: over 100 MiB.
constexpr int64_t kGrowthBoundBytes = int64_t{64} << 20;

// A path of ~2.9 KiB: every event kept for Redis holds it, so the event budget fills within
// seconds (the access log grows by as much, some 100 MiB in the test's temp folder).
const std::string& LongPath() {
  static const std::string path = [] {
    std::string built = "pool/";
    for (char folder = 'a'; folder < 'a' + 12; ++folder) built += std::string(240, folder) + "/";
    return built + "agent_2.1.0.deb";
  }();
  return path;
}

// VmRSS of process `pid` in bytes; 0 when it cannot be read.
int64_t ResidentBytes(pid_t pid) {
  std::ifstream status(Concat("/proc/", pid, "/status"));
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) return std::stoll(line.substr(6)) * 1024;  // "… kB"
  }
  return 0;
}

struct LoadResult {
  std::atomic<int64_t> ok{0};
  std::atomic<int64_t> failed{0};
};

// Paced GETs of `target` on `port` from kLoadThreads threads for `duration`; thread t's
// connection n comes from 127.(t+1).(n/250).(n%250+1).
void RunLoad(uint16_t port, const std::string& target, steady_clock::duration duration,
             LoadResult& result) {
  const auto start = steady_clock::now();
  const auto step =
      std::chrono::duration_cast<steady_clock::duration>(seconds(1)) / kPerThreadPerSecond;
  const int64_t most = kPerThreadPerSecond * std::chrono::duration_cast<seconds>(duration).count();
  std::vector<std::thread> threads;
  for (int t = 0; t < kLoadThreads; ++t) {
    threads.emplace_back([&, t] {
      std::unique_ptr<HttpConnection> connection;
      HttpRequest request;
      request.target = target;
      for (int64_t i = 0; i < most && steady_clock::now() - start < duration; ++i) {
        std::this_thread::sleep_until(start + step * i);
        try {
          if (connection == nullptr || i % kRequestsPerConnection == 0) {
            const int64_t n = i / kRequestsPerConnection;
            connection = std::make_unique<HttpConnection>(
                port, Concat("127.", t + 1, ".", n / 250, ".", n % 250 + 1));
          }
          if (connection->Send(request).status == 200) {
            ++result.ok;
          } else {
            ++result.failed;
          }
        } catch (const std::exception&) {
          ++result.failed;
          connection.reset();
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
}

size_t Count(const std::string& text, std::string_view needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// The end of a log, for a failure message (the whole log runs to many megabytes).
std::string Tail(const std::string& log) {
  return log.substr(log.size() - std::min<size_t>(log.size(), 4000));
}

// Through 60 s without Redis under a steady load of downloads with a token without counted
// limits, the instance's resident memory grows by less than 64 MiB; every download is served;
// the overflow is logged once; and once Redis is back, the usage kept meanwhile is written.
TEST(OutageMemoryTest, MemoryStaysBoundedThroughARedisOutage) {
#ifdef __SANITIZE_ADDRESS__
  GTEST_SKIP() << "under AddressSanitizer (quarantine, shadow memory) RSS says nothing";
#endif
  RedisServer redis(RedisData::kKeptOnStop);
  TollgateProcess server;
  ASSERT_TRUE(
      server.Start({"--redis", redis.url(), "--dedupe-window", "0", "--stale-grace", "600s"}));
  server.CreateRepo("agents");
  server.PlaceFile("agents", LongPath(), std::string(512, 'p'));
  const json::object token = server.CreateToken("agents", {{"name", "customer"}});
  const std::string target =
      Concat("/", JsonString(token, "token"), "/default/agents/", LongPath());

  LoadResult warm_up;
  RunLoad(server.download_port(), target, seconds(2), warm_up);
  ASSERT_EQ(warm_up.failed, 0);
  std::this_thread::sleep_for(milliseconds(500));  // the warm-up's usage reaches Redis
  const int64_t baseline = ResidentBytes(server.pid());
  ASSERT_GT(baseline, 0);

  redis.Stop();
  LoadResult outage;
  int64_t peak = baseline;
  std::thread load([&] { RunLoad(server.download_port(), target, kOutage, outage); });
  for (auto end = steady_clock::now() + kOutage + seconds(5); steady_clock::now() < end;
       std::this_thread::sleep_for(milliseconds(250))) {
    peak = std::max(peak, ResidentBytes(server.pid()));
    if (outage.ok + outage.failed >= kLoadThreads * kPerThreadPerSecond * kOutage.count()) break;
  }
  load.join();
  peak = std::max(peak, ResidentBytes(server.pid()));
  RecordProperty("rss_growth_bytes", Concat(peak - baseline));  // in the XML report
  RecordProperty("downloads_during_outage", Concat(outage.ok.load()));
  EXPECT_LT(peak - baseline, kGrowthBoundBytes) << "baseline " << baseline << ", peak " << peak;
  EXPECT_EQ(outage.failed, 0);
  EXPECT_GT(outage.ok, 0);

  redis.Start();
  int ready = 0;
  for (int attempt = 0; attempt < 100 && ready != 200; ++attempt) {  // up to ~10 s
    std::this_thread::sleep_for(milliseconds(100));
    ready = server.admin().Get("/readyz").status;
  }
  ASSERT_EQ(ready, 200);
  EXPECT_EQ(server.download().Get(target).status, 200);
  std::string log;
  for (int attempt = 0; attempt < 50; ++attempt) {  // up to ~10 s
    log = server.Log();
    if (log.find("usage_queue_overflow state=recovered") != std::string::npos) break;
    std::this_thread::sleep_for(milliseconds(200));
  }
  EXPECT_EQ(Count(log, "usage_queue_overflow state=dropping"), 1u) << Tail(log);
  EXPECT_EQ(Count(log, "usage_queue_overflow state=recovered"), 1u) << Tail(log);

  // Only events were dropped (one usage entry per client fits easily), so every download
  // counts; a write cut short as Redis stopped may count a few twice.
  const HttpResponse usage = server.Admin(
      "GET",
      Concat("/api/v1/entitlements/default/agents/", JsonString(token, "identifier"), "/usage/"));
  ASSERT_EQ(usage.status, 200) << usage.body;
  EXPECT_GE(ParseJson(usage.body).as_object().at("downloads").as_int64(),
            warm_up.ok + outage.ok + 1);
}

}  // namespace
}  // namespace tollgate::testing
