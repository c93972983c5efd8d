// Tests of the scope query language: parse errors with positions, and matcher truth tables.
#include "tollgate/policy/scope_query.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace tollgate::policy {
namespace {

using formats::PackageFormat;
using formats::PackageIdentity;

struct Artifact {
  PackageIdentity identity;
  std::string path;
};

Artifact Deb(std::string name, std::string version, std::string path = "") {
  if (path.empty()) path = "pool/main/" + name + "_" + version + "_amd64.deb";
  return {{PackageFormat::kDeb, std::move(name), std::move(version), "amd64", ""}, path};
}

Artifact Wheel(std::string name, std::string version) {
  const std::string path = "simple/" + name + "/" + name + "-" + version + "-py3-none-any.whl";
  return {{PackageFormat::kPython, std::move(name), std::move(version), "", ""}, path};
}

Artifact Npm(std::string name, std::string version) {
  const std::string path = name + "/-/" + name + "-" + version + ".tgz";
  return {{PackageFormat::kNpm, std::move(name), std::move(version), "", ""}, path};
}

Artifact Maven(std::string group, std::string name, std::string version) {
  const std::string path =
      "com/example/" + name + "/" + version + "/" + name + "-" + version + ".jar";
  return {{PackageFormat::kMaven, std::move(name), std::move(version), "", std::move(group)}, path};
}

Artifact Raw(std::string path) {
  const std::string file = path.substr(path.rfind('/') + 1);
  return {{PackageFormat::kRaw, file, "", "", ""}, std::move(path)};
}

bool Matches(std::string_view query, const Artifact& artifact,
             QueryKind kind = QueryKind::kPackage) {
  absl::StatusOr<ScopeQuery> compiled = ScopeQuery::Compile(query, kind);
  EXPECT_TRUE(compiled.ok()) << query << ": " << compiled.status();
  return compiled.ok() && compiled->Matches(artifact.identity, artifact.path);
}

std::string ErrorOf(std::string_view query, QueryKind kind = QueryKind::kPackage) {
  absl::StatusOr<ScopeQuery> compiled = ScopeQuery::Compile(query, kind);
  return compiled.ok() ? "ok" : std::string(compiled.status().message());
}

struct MatchCase {
  std::string query;
  Artifact artifact;
  bool expected;
};

class MatchTableTest : public testing::TestWithParam<MatchCase> {};

// Each row: a query, an artifact, and whether the query admits it.
TEST_P(MatchTableTest, Decides) {
  const MatchCase& c = GetParam();
  EXPECT_EQ(Matches(c.query, c.artifact), c.expected) << c.query << " on " << c.artifact.path;
}

INSTANTIATE_TEST_SUITE_P(
    Package, MatchTableTest,
    testing::Values(
        // bare terms mean name, exact unless wildcarded
        MatchCase{"agent", Deb("agent", "2.1.0"), true},
        MatchCase{"agent", Deb("agent-extra", "2.1.0"), false},
        MatchCase{"agent*", Deb("agent-extra", "2.1.0"), true},
        MatchCase{"ag?nt", Deb("agent", "1"), true}, MatchCase{"AGENT", Deb("agent", "1"), true},
        MatchCase{"name:agent", Deb("agent", "1"), true},
        MatchCase{"NAME:agent", Deb("agent", "1"), true},
        MatchCase{"name:=agent", Deb("agent", "1"), true},
        MatchCase{"name:!=agent", Deb("agent", "1"), false},
        MatchCase{"name:~gen", Deb("agent", "1"), true},
        MatchCase{"name:~xyz", Deb("agent", "1"), false},
        // versions in the artifact's own order
        MatchCase{"version:>=2.0", Deb("agent", "2.1.0"), true},
        MatchCase{"version:>=2.0", Deb("agent", "1.9.0"), false},
        MatchCase{"version:>=2.0", Deb("agent", "2.0~rc1"), false},
        MatchCase{"version:>1:1.0", Deb("agent", "1:0.5"), false},
        MatchCase{"version:<2.0", Deb("agent", "1.10"), true},
        MatchCase{"version:<=2.0", Deb("agent", "2.0"), true},
        MatchCase{"version:>2.0", Deb("agent", "2.0"), false},
        MatchCase{"version:2.0", Deb("agent", "2.0"), true},
        MatchCase{"version:2.*", Deb("agent", "2.4"), true},
        MatchCase{"version:2.*", Deb("agent", "3.0"), false},
        MatchCase{"version:==2.0", Deb("agent", "2.0"), false},
        MatchCase{"version:>=2.0", Wheel("agent", "2.0rc1"), false},
        MatchCase{"version:>=2.0", Wheel("agent", "2.0.post1"), true},
        MatchCase{"version:2", Wheel("agent", "2.0.0"), true},
        MatchCase{"version:>=1.0.0", Npm("left-pad", "1.0.0-beta.1"), false},
        MatchCase{"version:>=1.0.0", Npm("left-pad", "1.0.1"), true},
        MatchCase{"version:~=2.1", Wheel("agent", "2.9"), true},
        MatchCase{"version:~=2.1", Wheel("agent", "3.0"), false},
        MatchCase{"version:~=2.1", Wheel("agent", "2.0"), false},
        MatchCase{"version:~=2.1.3", Wheel("agent", "2.1.9"), true},
        MatchCase{"version:~=2.1.3", Wheel("agent", "2.2.0"), false},
        MatchCase{"version:~=1.9", Deb("agent", "1.10"), true},
        MatchCase{"version:>=1", Raw("docs/readme.txt"), false},
        MatchCase{"version:!=1", Raw("docs/readme.txt"), true},
        // other fields
        MatchCase{"format:deb", Deb("agent", "1"), true},
        MatchCase{"format:DEB", Deb("agent", "1"), true},
        MatchCase{"format:python", Deb("agent", "1"), false},
        MatchCase{"architecture:amd64", Deb("agent", "1"), true},
        MatchCase{"architecture:arm64", Deb("agent", "1"), false},
        MatchCase{"group:com.example*", Maven("com.example.tools", "cli", "1.0"), true},
        MatchCase{"group:org.*", Maven("com.example.tools", "cli", "1.0"), false},
        MatchCase{"filename:*.deb", Deb("agent", "1"), true},
        MatchCase{"filename:*.rpm", Deb("agent", "1"), false},
        MatchCase{"path:pool/**", Deb("agent", "1"), true},
        MatchCase{"path:pool/*", Deb("agent", "1"), false},
        MatchCase{"path:pool/main/*", Deb("agent", "1"), true},
        MatchCase{"name:\"@acme/cli\"", Npm("@acme/cli", "1.0.0"), true},
        MatchCase{"name:\"agent*\"", Deb("agent-x", "1"), false},
        // boolean structure
        MatchCase{"name:agent AND version:>=2.0", Deb("agent", "2.1.0"), true},
        MatchCase{"name:agent AND version:>=2.0", Deb("agent", "1.9.0"), false},
        MatchCase{"name:agent AND version:>=2.0", Deb("other", "3.0"), false},
        MatchCase{"name:agent version:>=2.0", Deb("agent", "1.9.0"), false},
        MatchCase{"name:agent OR name:cli", Deb("cli", "1"), true},
        MatchCase{"name:agent or name:cli", Deb("cli", "1"), true},
        MatchCase{"NOT name:agent", Deb("agent", "1"), false},
        MatchCase{"not name:agent", Deb("cli", "1"), true},
        MatchCase{"name:a* AND NOT name:agent-dev", Deb("agent-dev", "1"), false},
        MatchCase{"name:a OR name:b AND name:c", Deb("a", "1"), true},
        MatchCase{"(name:a OR name:b) AND name:c", Deb("a", "1"), false},
        MatchCase{"NOT (name:a OR name:b)", Deb("c", "1"), true},
        MatchCase{"NOT NOT name:a", Deb("a", "1"), true},
        MatchCase{"name:agent AND (version:<1.0 OR version:>=2.0) AND format:deb",
                  Deb("agent", "2.0"), true},
        MatchCase{"1:2.0", Deb("1:2.0", "1"), true}));

// In a path query a bare term is a path, anchored at both ends, `*` inside one segment.
TEST(ScopeQueryTest, PathQueryDefaultsToPath) {
  const Artifact nested = Raw("nested/releases/x.tar.gz");
  const Artifact top = Raw("releases/x.tar.gz");
  const Artifact deep = Raw("releases/2024/x.tar.gz");
  EXPECT_TRUE(Matches("releases/**", top, QueryKind::kPath));
  EXPECT_TRUE(Matches("releases/**", deep, QueryKind::kPath));
  EXPECT_FALSE(Matches("releases/**", nested, QueryKind::kPath));
  EXPECT_TRUE(Matches("releases/*", top, QueryKind::kPath));
  EXPECT_FALSE(Matches("releases/*", deep, QueryKind::kPath));
  EXPECT_TRUE(Matches("**/x.tar.gz", nested, QueryKind::kPath));
  EXPECT_TRUE(Matches("releases/**/x.tar.gz", top, QueryKind::kPath));
  EXPECT_FALSE(Matches("Releases/**", top, QueryKind::kPath));
  EXPECT_TRUE(Matches("releases/x.tar.gz", top, QueryKind::kPath));
  EXPECT_FALSE(Matches("releases/x.tar", top, QueryKind::kPath));
}

struct ErrorCase {
  std::string query;
  std::string error;
};

class ParseErrorTest : public testing::TestWithParam<ErrorCase> {};

// Each malformed query is refused with the position of the problem.
TEST_P(ParseErrorTest, NamesThePosition) {
  EXPECT_EQ(ErrorOf(GetParam().query), GetParam().error) << GetParam().query;
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ParseErrorTest,
    testing::Values(ErrorCase{"", "position 1: the query is empty"},
                    ErrorCase{"   ", "position 4: the query is empty"},
                    ErrorCase{"name:", "position 6: expected a value"},
                    ErrorCase{"version:>=", "position 11: expected a value"},
                    ErrorCase{"(name:a", "position 1: unclosed '('"},
                    ErrorCase{"name:a)", "position 7: unbalanced ')'"},
                    ErrorCase{"name:a AND", "position 11: expected a term"},
                    ErrorCase{"AND name:a", "position 1: expected a term before 'AND'"},
                    ErrorCase{"name:a OR OR name:b", "position 11: expected a term before 'OR'"},
                    ErrorCase{"NOT", "position 4: expected a term"},
                    ErrorCase{"()", "position 2: expected a term before ')'"},
                    ErrorCase{"colour:red", "position 1: unknown field 'colour'"},
                    ErrorCase{"name:\"abc", "position 6: unclosed '\"'"},
                    ErrorCase{"name:~=2.1", "position 1: '~=' works on version only"},
                    ErrorCase{
                        "version:~=2",
                        "position 11: '~=' needs a version with at least two numbers, like 2.1"},
                    ErrorCase{"version:>=2.*",
                              "position 11: wildcards only work with '=', '!=' or no operator"},
                    ErrorCase{"name:a name:b )", "position 15: unbalanced ')'"}));

// Queries longer than the limit are refused outright.
TEST(ScopeQueryTest, RefusesOverlongQuery) { EXPECT_NE(ErrorOf(std::string(5000, 'a')), "ok"); }

// Nesting is bounded so a hostile query cannot exhaust the stack.
TEST(ScopeQueryTest, RefusesDeepNesting) {
  EXPECT_NE(ErrorOf(std::string(100, '(') + "a" + std::string(100, ')')), "ok");
  EXPECT_EQ(ErrorOf(std::string(10, '(') + "a" + std::string(10, ')')), "ok");
}

}  // namespace
}  // namespace tollgate::policy
