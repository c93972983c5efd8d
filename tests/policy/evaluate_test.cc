// Tests of the per-request decision: active flag, date window, user access, existence and
// scopes, in SPEC order, with an injected clock.
#include "tollgate/policy/evaluate.h"

#include "gtest/gtest.h"

namespace tollgate::policy {
namespace {

using formats::PackageFormat;
using formats::PackageIdentity;

const absl::Time kFrom = absl::FromUnixSeconds(1'700'000'000);
const absl::Time kTo = kFrom + absl::Hours(24 * 30);

const DownloadFacts kFound{.path = "pool/agent_2.1.0_amd64.deb"};

Entitlement WindowedToken() {
  Entitlement e;
  e.limit_date_range_from = kFrom;
  e.limit_date_range_to = kTo;
  return e;
}

// An active token without a window is allowed at any time.
TEST(EvaluateTest, AllowsActiveTokenWithoutWindow) {
  const Entitlement e;
  EXPECT_EQ(Evaluate(e, kFound, absl::UnixEpoch()), std::nullopt);
  EXPECT_EQ(Evaluate(e, kFound, kTo + absl::Hours(24 * 3650)), std::nullopt);
}

// A disabled token is refused, and that reason comes before the date window's.
TEST(EvaluateTest, DisabledComesFirst) {
  Entitlement e = WindowedToken();
  e.is_active = false;
  EXPECT_EQ(Evaluate(e, kFound, kFrom + absl::Hours(1)), Reason::kTokenDisabled);
  EXPECT_EQ(Evaluate(e, kFound, kFrom - absl::Hours(1)), Reason::kTokenDisabled);
  EXPECT_EQ(Evaluate(e, kFound, kTo + absl::Hours(1)), Reason::kTokenDisabled);
}

// The window's start is inclusive: one nanosecond before it is too early, the instant itself is
// not.
TEST(EvaluateTest, FromIsInclusive) {
  const Entitlement e = WindowedToken();
  EXPECT_EQ(Evaluate(e, kFound, kFrom - absl::Nanoseconds(1)), Reason::kTokenNotYetValid);
  EXPECT_EQ(Evaluate(e, kFound, kFrom), std::nullopt);
}

// The window's end is exclusive: the instant itself is already expired.
TEST(EvaluateTest, ToIsExclusive) {
  const Entitlement e = WindowedToken();
  EXPECT_EQ(Evaluate(e, kFound, kTo - absl::Nanoseconds(1)), std::nullopt);
  EXPECT_EQ(Evaluate(e, kFound, kTo), Reason::kTokenExpired);
  EXPECT_EQ(Evaluate(e, kFound, kTo + absl::Hours(1)), Reason::kTokenExpired);
}

// Either end of the window may be open.
TEST(EvaluateTest, HalfOpenWindows) {
  Entitlement only_from;
  only_from.limit_date_range_from = kFrom;
  EXPECT_EQ(Evaluate(only_from, kFound, kFrom - absl::Seconds(1)), Reason::kTokenNotYetValid);
  EXPECT_EQ(Evaluate(only_from, kFound, kTo + absl::Hours(24 * 3650)), std::nullopt);

  Entitlement only_to;
  only_to.limit_date_range_to = kTo;
  EXPECT_EQ(Evaluate(only_to, kFound, absl::UnixEpoch()), std::nullopt);
  EXPECT_EQ(Evaluate(only_to, kFound, kTo), Reason::kTokenExpired);
}

Entitlement ScopedToken(std::string package_query) {
  Entitlement e;
  e.limit_package_query = std::move(package_query);
  EXPECT_TRUE(CompileScopes(e).ok());
  return e;
}

PackageIdentity Deb(std::string name, std::string version) {
  return PackageIdentity{PackageFormat::kDeb, std::move(name), std::move(version), "amd64", ""};
}

// A user token whose user lost read is refused after the date checks.
TEST(EvaluateTest, UserTokenNeedsRead) {
  Entitlement e = WindowedToken();
  e.user = "alice";
  DownloadFacts revoked = kFound;
  revoked.user_has_read = false;
  EXPECT_EQ(Evaluate(e, revoked, kFrom), Reason::kAccessRevoked);
  EXPECT_EQ(Evaluate(e, revoked, kTo), Reason::kTokenExpired);
  e.user.reset();
  EXPECT_EQ(Evaluate(e, revoked, kFrom), std::nullopt);
}

// A missing artifact answers not_found, but only once the token itself is acceptable.
TEST(EvaluateTest, NotFoundAfterTokenChecks) {
  Entitlement e = WindowedToken();
  DownloadFacts missing = kFound;
  missing.found = false;
  EXPECT_EQ(Evaluate(e, missing, kFrom), Reason::kNotFound);
  EXPECT_EQ(Evaluate(e, missing, kTo), Reason::kTokenExpired);
}

// A package scope admits matching packages and refuses the rest.
TEST(EvaluateTest, PackageScopeDecides) {
  const Entitlement e = ScopedToken("name:agent AND version:>=2.0");
  const PackageIdentity inside = Deb("agent", "2.1.0");
  const PackageIdentity too_old = Deb("agent", "1.9.0");
  DownloadFacts facts = kFound;
  facts.identity = &inside;
  EXPECT_EQ(Evaluate(e, facts, kFrom), std::nullopt);
  facts.identity = &too_old;
  EXPECT_EQ(Evaluate(e, facts, kFrom), Reason::kPackageNotAllowed);
}

// Index files pass any scope.
TEST(EvaluateTest, IndexFilesIgnoreScopes) {
  Entitlement e = ScopedToken("name:agent");
  e.limit_path_query = "pool/**";
  ASSERT_TRUE(CompileScopes(e).ok());
  const DownloadFacts index{.path = "dists/stable/Release", .is_index_file = true};
  EXPECT_EQ(Evaluate(e, index, kFrom), std::nullopt);
}

// A path scope is checked after the package scope.
TEST(EvaluateTest, PathScopeComesAfterPackageScope) {
  Entitlement e = ScopedToken("name:agent");
  e.limit_path_query = "releases/**";
  ASSERT_TRUE(CompileScopes(e).ok());
  const PackageIdentity agent = Deb("agent", "2.1.0");
  const PackageIdentity other = Deb("other", "2.1.0");
  DownloadFacts facts{.path = "nested/releases/agent_2.1.0_amd64.deb", .identity = &agent};
  EXPECT_EQ(Evaluate(e, facts, kFrom), Reason::kPathNotAllowed);
  facts.identity = &other;
  EXPECT_EQ(Evaluate(e, facts, kFrom), Reason::kPackageNotAllowed);
  facts = DownloadFacts{.path = "releases/agent_2.1.0_amd64.deb", .identity = &agent};
  EXPECT_EQ(Evaluate(e, facts, kFrom), std::nullopt);
}

// A query whose compiled form is missing admits nothing (fail closed).
TEST(EvaluateTest, UncompiledScopeAdmitsNothing) {
  Entitlement e = ScopedToken("name:agent");
  e.package_scope.reset();
  const PackageIdentity agent = Deb("agent", "2.1.0");
  const DownloadFacts facts{.path = "agent_2.1.0_amd64.deb", .identity = &agent};
  EXPECT_EQ(Evaluate(e, facts, kFrom), Reason::kPackageNotAllowed);
}

// A scoped token refuses a package file whose identity was not supplied (fail closed).
TEST(EvaluateTest, ScopeWithoutIdentityAdmitsNothing) {
  const Entitlement e = ScopedToken("name:agent");
  EXPECT_EQ(Evaluate(e, kFound, kFrom), Reason::kPackageNotAllowed);
}

}  // namespace
}  // namespace tollgate::policy
