// One whole download decision — the pipeline's synchronous phases route, authenticate, locate
// and decide, no sockets — on real embedded stores and a filesystem artifact source; items/s
// and allocations per request. The context is reused across requests, as a connection does.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "allocation_counter.h"
#include "benchmark/benchmark.h"
#include "boost/asio/ip/address.hpp"
#include "boost/beast/http/message.hpp"
#include "download/download_pipeline.h"
#include "tollgate/policy/entitlement.h"
#include "tollgate/policy/reason.h"
#include "tollgate/storage/embedded/embedded_stores.h"
#include "tollgate/storage/files/filesystem_artifact_source.h"
#include "tollgate/storage/http_origin.h"
#include "tollgate/storage/origin/pooled_http_origin_client.h"
#include "tollgate/storage/stores.h"

namespace tollgate::gateway {
namespace {
namespace http = boost::beast::http;

constexpr char kPath[] = "pool/main/a/agent_2.1.0_amd64.deb";
constexpr char kUnlimitedToken[] = "unlimitedBenchToken0001";
constexpr char kScopedToken[] = "scopedBenchToken0002";
constexpr char kUnknownToken[] = "unknownBenchToken0003";

[[noreturn]] void Die(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "set-up failed: %s: %s\n", what.c_str(), status.ToString().c_str());
  std::abort();
}

// Reports allocations per iteration (one iteration = one request) next to the timing.
class AllocationsPerRequest {
 public:
  explicit AllocationsPerRequest(benchmark::State& state)
      : state_(state), start_(bench::AllocationCount()) {}
  ~AllocationsPerRequest() {
    state_.counters["allocs/req"] =
        benchmark::Counter(static_cast<double>(bench::AllocationCount() - start_) /
                           static_cast<double>(std::max<int64_t>(state_.iterations(), 1)));
  }

 private:
  benchmark::State& state_;
  uint64_t start_;
};

// Embedded stores in a temp folder holding org `default`, private repository `default/agents`
// with one 4 KiB package file, an unlimited token and a scoped one; removed at exit.
class Fixture {
 public:
  Fixture() {
    char tmpl[] = "/tmp/tollgate-decision-bench-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) std::abort();
    root_ = tmpl;
    const std::filesystem::path folder = root_ / "artifacts/default/agents/pool/main/a";
    std::filesystem::create_directories(folder);
    std::ofstream(folder / "agent_2.1.0_amd64.deb") << std::string(4096, 'x');

    absl::StatusOr<storage::Stores> stores = storage::OpenEmbeddedStores(root_ / "data");
    if (!stores.ok()) Die("OpenEmbeddedStores", stores.status());
    const absl::Time now = absl::Now();
    if (absl::Status s = stores->accounts->CreateOrg("default", now); !s.ok()) Die("org", s);
    storage::Repository repository;
    repository.org = "default";
    repository.slug = repository.name = "agents";
    repository.created_at = now;
    if (absl::Status s = stores->repositories->Create(repository); !s.ok()) Die("repo", s);
    AddToken(*stores, "unlimited", kUnlimitedToken, std::nullopt, std::nullopt, now);
    AddToken(*stores, "scoped", kScopedToken, "name:agent AND version:>=2.0", "pool/**", now);

    absl::StatusOr<std::unique_ptr<storage::FilesystemArtifactSource>> files =
        storage::FilesystemArtifactSource::Create(root_ / "artifacts");
    if (!files.ok()) Die("artifacts", files.status());
    pipeline_ = std::make_unique<DownloadPipeline>(
        DownloadServices{.stores = *stores,
                         .files = std::shared_ptr<const storage::ArtifactSource>(*std::move(files)),
                         .origins = std::make_shared<storage::PooledHttpOriginClient>(),
                         .options = DownloadOptions{}});
  }
  ~Fixture() {
    pipeline_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }

  const DownloadPipeline& pipeline() const { return *pipeline_; }

 private:
  static void AddToken(storage::Stores& stores, const std::string& name, const std::string& token,
                       std::optional<std::string> package_query,
                       std::optional<std::string> path_query, absl::Time now) {
    policy::Entitlement entitlement;
    entitlement.identifier = name + "-id";
    entitlement.org = "default";
    entitlement.repo = "agents";
    entitlement.name = name;
    entitlement.token = token;
    entitlement.limit_package_query = std::move(package_query);
    entitlement.limit_path_query = std::move(path_query);
    entitlement.created_at = entitlement.updated_at = now;
    if (absl::Status s = stores.entitlements->Create(entitlement); !s.ok()) Die(name, s);
  }

  std::filesystem::path root_;
  std::unique_ptr<DownloadPipeline> pipeline_;
};

const Fixture& SharedFixture() {
  static const Fixture fixture;  // built on first use, removed at exit
  return fixture;
}

http::request_header<> Get(const std::string& token) {
  http::request_header<> request;
  request.method(http::verb::get);
  request.target("/" + token + "/default/agents/" + kPath);
  request.version(11);
  request.set(http::field::host, "downloads.example.com");
  request.set(http::field::user_agent, "Debian APT-HTTP/1.3 (2.6.1)");
  return request;
}

// `denial` is the reason the case must be refused for, or nullopt for a served 200.
void BM_Decision(benchmark::State& state, const char* token, std::optional<policy::Reason> denial) {
  const DownloadPipeline& pipeline = SharedFixture().pipeline();
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
    AllocationsPerRequest allocations(state);
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
