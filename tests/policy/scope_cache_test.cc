// Tests of the shared compiled scopes: one object per text and kind while it is held, none
// kept once its holders are gone, and a table that does not grow with texts no longer used.
#include "scope_cache.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tollgate/policy/entitlement.h"

namespace tollgate::policy {
namespace {

std::shared_ptr<const ScopeQuery> MustCompile(ScopeCache& cache, const std::string& text,
                                              QueryKind kind = QueryKind::kPackage) {
  absl::StatusOr<std::shared_ptr<const ScopeQuery>> scope = cache.Compile(text, kind);
  EXPECT_TRUE(scope.ok()) << scope.status();
  return scope.ok() ? *scope : nullptr;
}

// The same text and kind give the same object; another text, or the same text as the other
// kind (a bare term means another field there), gives another.
TEST(ScopeCacheTest, SameTextSharesOneScope) {
  ScopeCache cache;
  const auto first = MustCompile(cache, "name:agent AND version:>=2.0");
  EXPECT_EQ(MustCompile(cache, "name:agent AND version:>=2.0"), first);
  EXPECT_NE(MustCompile(cache, "name:agent AND version:>=3.0"), first);
  const auto bare = MustCompile(cache, "agent");
  EXPECT_NE(MustCompile(cache, "agent", QueryKind::kPath), bare);
  EXPECT_EQ(MustCompile(cache, "agent"), bare);
}

// The cache holds no scope alive: once its last holder drops it, it is gone, and the text
// compiles anew.
TEST(ScopeCacheTest, KeepsNoScopeAlive) {
  ScopeCache cache;
  auto scope = MustCompile(cache, "name:agent");
  const std::weak_ptr<const ScopeQuery> watch = scope;
  scope.reset();
  EXPECT_TRUE(watch.expired());
  EXPECT_NE(MustCompile(cache, "name:agent"), nullptr);
}

// Compiling ever new texts that nobody keeps leaves the table within the sweep floor, and
// the texts still held stay shared through the sweeps.
TEST(ScopeCacheTest, DoesNotGrowWithTextsNoLongerUsed) {
  ScopeCache cache;
  std::vector<std::shared_ptr<const ScopeQuery>> held;
  for (int i = 0; i < 10; ++i) held.push_back(MustCompile(cache, "name:kept-" + std::to_string(i)));
  for (int i = 0; i < 10'000; ++i) {
    MustCompile(cache, "name:dropped-" + std::to_string(i));
    ASSERT_LE(cache.size(), ScopeCache::kSweepFloor);
  }
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(MustCompile(cache, "name:kept-" + std::to_string(i)), held[i]);
  }
}

// Errors are those of ScopeQuery::Compile, and are not kept.
TEST(ScopeCacheTest, ErrorsAreNotKept) {
  ScopeCache cache;
  EXPECT_FALSE(cache.Compile("name:", QueryKind::kPackage).ok());
  EXPECT_FALSE(cache.Compile("", QueryKind::kPath).ok());
  EXPECT_EQ(cache.size(), 0u);
}

// Threads compiling one text at once all get the same object.
TEST(ScopeCacheTest, ConcurrentCompilesShareOneScope) {
  ScopeCache cache;
  std::vector<std::shared_ptr<const ScopeQuery>> got(8);
  std::vector<std::thread> threads;
  for (auto& slot : got) {
    threads.emplace_back([&cache, &slot] { slot = MustCompile(cache, "format:pypi OR name:a*"); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& scope : got) EXPECT_EQ(scope, got.front());
}

// CompileScopes shares through the process's cache: two tokens with one query hold one scope.
TEST(ScopeCacheTest, CompileScopesSharesBetweenTokens) {
  Entitlement a;
  a.limit_package_query = "name:agent AND version:>=2.0";
  a.limit_path_query = "releases/**";
  Entitlement b = a;
  ASSERT_TRUE(CompileScopes(a).ok());
  ASSERT_TRUE(CompileScopes(b).ok());
  EXPECT_EQ(a.package_scope, b.package_scope);
  EXPECT_EQ(a.path_scope, b.path_scope);
  EXPECT_NE(a.package_scope, nullptr);
}

}  // namespace
}  // namespace tollgate::policy
