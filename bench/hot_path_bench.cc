// The steps every download takes, one by one, with allocations per call: routing the target,
// finding the token by its string among 10,000, a counted reservation on the embedded ledger,
// and serialising the response header. Evaluate has its own in tollgate_policy_bench; the whole
// decision is tollgate_decision_bench.
#include <string>

#include "allocation_counter.h"
#include "benchmark/benchmark.h"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "download_world.h"
#include "http/response_head.h"
#include "http/route.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/usage_ledger.h"

namespace tollgate::gateway {
namespace {

using bench::AllocationsPerIteration;

constexpr int kTokens = 10'000;
constexpr char kPath[] = "pool/main/a/agent_2.1.0_amd64.deb";

// acme/agents with kTokens tokens ("benchToken000000" …) and a 4 KiB package file.
testing::DownloadWorld& World() {
  static testing::DownloadWorld* const world = [] {
    auto* built = new testing::DownloadWorld;
    built->AddFile("agents", kPath, 4096);
    for (int i = 0; i < kTokens; ++i) {
      std::string token = Concat("benchToken", i);
      token.insert(10, 16 - token.size(), '0');
      built->AddToken("agents", token);
    }
    return built;
  }();
  return *world;
}

void BM_RouteTokenTarget(benchmark::State& state) {
  const std::string target = Concat("/benchToken0004242/acme/agents/", kPath);
  DownloadRoute route;
  if (!RouteDownloadTarget(target, route).ok()) return state.SkipWithError("not routed");
  AllocationsPerIteration allocations(state);
  for (auto _ : state) benchmark::DoNotOptimize(RouteDownloadTarget(target, route));
}
BENCHMARK(BM_RouteTokenTarget);

void BM_FindTokenAmong10k(benchmark::State& state) {
  const storage::EntitlementStore& tokens = *World().stores().entitlements;
  const std::string org = "acme", repo = "agents", token = "benchToken004242";
  if (tokens.FindByToken(org, repo, token) == nullptr) return state.SkipWithError("not found");
  AllocationsPerIteration allocations(state);
  for (auto _ : state) benchmark::DoNotOptimize(tokens.FindByToken(org, repo, token));
}
BENCHMARK(BM_FindTokenAmong10k);

// One reservation with a download and a client limit, as a counted token's GET makes it with
// --dedupe-window 0; the embedded ledger completes inline, on the caller's event loop.
void BM_EmbeddedReservation(benchmark::State& state) {
  storage::UsageLedger& ledger = *World().stores().usage;
  storage::Reservation reservation;
  reservation.token = "benchToken004242-id";
  reservation.period = "total";
  reservation.client = "203.0.113.7";
  reservation.path = kPath;
  reservation.bytes = 4096;
  reservation.max_downloads = int64_t{1} << 60;
  reservation.max_clients = 100;
  reservation.now = absl::FromUnixSeconds(1'800'000'000);
  // The loop runs inside one coroutine on an event loop, as a connection's reservations do.
  boost::asio::io_context loop;
  bool granted = true;
  const auto reserve_all = [&]() -> boost::asio::awaitable<void> {
    AllocationsPerIteration allocations(state);
    for (auto _ : state) {
      absl::StatusOr<storage::ReservationResult> result = co_await ledger.Reserve(reservation);
      granted = granted && result.ok() && *result == storage::ReservationResult::kGranted;
    }
  };
  boost::asio::co_spawn(loop, reserve_all(), boost::asio::detached);
  loop.run();
  if (!granted) state.SkipWithError("a reservation was refused");
}
BENCHMARK(BM_EmbeddedReservation);

// The header of a 200 for a 4 KiB file, with the fields a download answer carries; the head
// and the wire buffer are reused, as a connection reuses them.
void BM_SerializeResponseHead(benchmark::State& state) {
  std::string wire;
  ResponseHead head;
  AllocationsPerIteration allocations(state);
  for (auto _ : state) {
    head.Reset();
    head.set_status(boost::beast::http::status::ok);
    head.set_content_length(4096);
    head.Set("Content-Type", "application/vnd.debian.binary-package");
    head.Set("ETag", "\"6b14ee6f-1000\"");
    head.Set("Last-Modified", "Sun, 06 Dec 2026 05:07:39 GMT");
    head.Set("Accept-Ranges", "bytes");
    head.Set("X-Content-Type-Options", "nosniff");
    head.Set("Content-Security-Policy", "default-src 'none'; sandbox");
    head.Serialize(11, true, "Sun, 06 Dec 2026 05:07:40 GMT", wire);
    benchmark::DoNotOptimize(wire);
  }
}
BENCHMARK(BM_SerializeResponseHead);

}  // namespace
}  // namespace tollgate::gateway

BENCHMARK_MAIN();
