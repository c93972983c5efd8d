// One whole download decision — the pipeline's synchronous phases route, authenticate, locate
// and decide, no sockets — on real embedded stores and a filesystem artifact source; items/s
// and allocations per request. The context is reused across requests, as a connection does.
#include <optional>
#include <string>

#include "allocation_counter.h"
#include "benchmark/benchmark.h"
#include "boost/asio/ip/address.hpp"
#include "boost/beast/http/message.hpp"
#include "download/download_pipeline.h"
#include "download_world.h"
#include "tollgate/policy/entitlement.h"
#include "tollgate/policy/reason.h"

namespace tollgate::gateway {
namespace {
namespace http = boost::beast::http;

constexpr char kPath[] = "pool/main/a/agent_2.1.0_amd64.deb";
constexpr char kUnlimitedToken[] = "unlimitedBenchToken0001";
constexpr char kScopedToken[] = "scopedBenchToken0002";
constexpr char kUnknownToken[] = "unknownBenchToken0003";

using bench::AllocationsPerIteration;

// One world (tests/gateway/download_world.h) with a 4 KiB package file, an unlimited token and
// a scoped one, and the pipeline over it; built on first use.
struct Fixture {
  Fixture() {
    world.AddFile("agents", kPath, 4096);
    world.AddToken("agents", kUnlimitedToken);
    world.AddToken("agents", kScopedToken, [](policy::Entitlement& entitlement) {
      entitlement.limit_package_query = "name:agent AND version:>=2.0";
      entitlement.limit_path_query = "pool/**";
    });
    pipeline.emplace(world.Services());
  }
  testing::DownloadWorld world;
  std::optional<DownloadPipeline> pipeline;
};

const DownloadPipeline& SharedPipeline() {
  static Fixture fixture;
  return *fixture.pipeline;
}

http::request_header<> Get(const std::string& token) {
  http::request_header<> request;
  request.method(http::verb::get);
  request.target("/" + token + "/acme/agents/" + kPath);
  request.version(11);
  request.set(http::field::host, "downloads.example.com");
  request.set(http::field::user_agent, "Debian APT-HTTP/1.3 (2.6.1)");
  return request;
}

// `denial` is the reason the case must be refused for, or nullopt for a served 200.
void BM_Decision(benchmark::State& state, const char* token, std::optional<policy::Reason> denial) {
  const DownloadPipeline& pipeline = SharedPipeline();
  const http::request_header<> request = Get(token);
  const boost::asio::ip::address peer = boost::asio::ip::make_address("203.0.113.7");
  DownloadContext context;
  context.Reset(request, peer);
  pipeline.Prepare(context);
  if (context.denial != denial || (!denial && context.head.status() != http::status::ok)) {
    state.SkipWithError("unexpected answer");
    return;
  }
  {
    AllocationsPerIteration allocations(state);
    for (auto _ : state) {
      context.Reset(request, peer);
      pipeline.Prepare(context);
      benchmark::DoNotOptimize(context);
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Decision, unlimited_token_get, kUnlimitedToken, std::nullopt);
BENCHMARK_CAPTURE(BM_Decision, scoped_token_get, kScopedToken, std::nullopt);
BENCHMARK_CAPTURE(BM_Decision, unknown_token_denied, kUnknownToken,
                  policy::Reason::kInvalidCredentials);

}  // namespace
}  // namespace tollgate::gateway

BENCHMARK_MAIN();
