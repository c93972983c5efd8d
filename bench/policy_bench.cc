// Policy hot-path benchmarks: Evaluate for a typical token (target < 200 ns), a 5-term scope
// query match (target < 1 µs), identity extraction per format. Each reports allocations per
// iteration; Evaluate and Match must show 0.
#include <string>
#include <vector>

#include "allocation_counter.h"
#include "benchmark/benchmark.h"
#include "tollgate/formats/registry.h"
#include "tollgate/policy/evaluate.h"
#include "tollgate/policy/scope_query.h"

namespace tollgate::policy {
namespace {

using formats::IdentifyPackage;
using formats::PackageFormat;
using formats::PackageIdentity;

using bench::AllocationsPerIteration;

Entitlement TypicalToken() {
  Entitlement e;
  e.name = "customer-42";
  e.limit_date_range_to = absl::FromUnixSeconds(1'900'000'000);
  e.limit_package_query = "name:agent AND version:>=2.0";
  if (!CompileScopes(e).ok()) std::abort();
  return e;
}

void BM_EvaluateTypicalToken(benchmark::State& state) {
  const Entitlement token = TypicalToken();
  const PackageIdentity identity{PackageFormat::kDeb, "agent", "2.1.0", "amd64", ""};
  const DownloadFacts facts{.path = "pool/main/a/agent_2.1.0_amd64.deb", .identity = &identity};
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  AllocationsPerIteration allocations(state);
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(token, facts, now));
}
BENCHMARK(BM_EvaluateTypicalToken);

void BM_EvaluateUnscopedToken(benchmark::State& state) {
  Entitlement token;
  token.limit_date_range_to = absl::FromUnixSeconds(1'900'000'000);
  const DownloadFacts facts{.path = "pool/main/a/agent_2.1.0_amd64.deb"};
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  AllocationsPerIteration allocations(state);
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(token, facts, now));
}
BENCHMARK(BM_EvaluateUnscopedToken);

// A path scope matched against a path: a typical query, and the adversarial one (22 `**` and a
// segment that never matches, against a 14-folder path) whose cost must stay linear.
void BM_MatchPathQuery(benchmark::State& state, const std::string& query_text) {
  const absl::StatusOr<ScopeQuery> query = ScopeQuery::Compile(query_text, QueryKind::kPath);
  if (!query.ok()) std::abort();
  const PackageIdentity identity{PackageFormat::kDeb, "agent", "2.1.0", "amd64", ""};
  const std::string path = "a/b/c/d/e/f/g/h/i/j/k/l/m/n/agent_2.1.0_amd64.deb";
  AllocationsPerIteration allocations(state);
  for (auto _ : state) benchmark::DoNotOptimize(query->Matches(identity, path));
}
std::string Globstars(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += "**/";
  return text;
}
BENCHMARK_CAPTURE(BM_MatchPathQuery, typical, std::string("a/b/**/*.deb"));
BENCHMARK_CAPTURE(BM_MatchPathQuery, adversarial_22_globstars, Globstars(22) + "z");

void BM_MatchFiveTermQuery(benchmark::State& state) {
  const absl::StatusOr<ScopeQuery> query = ScopeQuery::Compile(
      "name:agent* AND version:>=2.0 AND format:deb AND architecture:amd64 AND "
      "NOT path:pool/testing/**",
      QueryKind::kPackage);
  if (!query.ok()) std::abort();
  const PackageIdentity identity{PackageFormat::kDeb, "agent-cli", "1:2.10.3-1", "amd64", ""};
  const std::string path = "pool/main/a/agent-cli_1%3a2.10.3-1_amd64.deb";
  AllocationsPerIteration allocations(state);
  for (auto _ : state) benchmark::DoNotOptimize(query->Matches(identity, path));
}
BENCHMARK(BM_MatchFiveTermQuery);

void BM_IdentifyPackage(benchmark::State& state, const char* path) {
  AllocationsPerIteration allocations(state);
  for (auto _ : state) benchmark::DoNotOptimize(IdentifyPackage(path));
}
BENCHMARK_CAPTURE(BM_IdentifyPackage, deb, "pool/main/a/agent_1%3a2.1.0-1_amd64.deb");
BENCHMARK_CAPTURE(BM_IdentifyPackage, rpm, "el9/x86_64/perl-Data-Dumper-2.183-1.el9.noarch.rpm");
BENCHMARK_CAPTURE(BM_IdentifyPackage, python, "simple/agent/agent_tools-2.0rc1-py3-none-any.whl");
BENCHMARK_CAPTURE(BM_IdentifyPackage, npm, "@acme/cli/-/cli-1.0.0-beta.1.tgz");
BENCHMARK_CAPTURE(BM_IdentifyPackage, maven, "com/example/tools/cli/1.0/cli-1.0-sources.jar");
BENCHMARK_CAPTURE(BM_IdentifyPackage, nuget, "packages/Newtonsoft.Json.13.0.1.nupkg");
BENCHMARK_CAPTURE(BM_IdentifyPackage, ruby, "gems/nokogiri-1.15.4-x86_64-linux.gem");
BENCHMARK_CAPTURE(BM_IdentifyPackage, raw, "docs/manual.pdf");
BENCHMARK_CAPTURE(BM_IdentifyPackage, index, "dists/stable/main/binary-amd64/Packages.gz");

}  // namespace
}  // namespace tollgate::policy

BENCHMARK_MAIN();
