// Tests of npm packages: packuments, tarball identity and SemVer precedence.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "identity_expectations.h"
#include "npm/npm_format.h"
#include "order_expectations.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

// A dot-free name at the root is not an index file: it could be any file ("internal-tool"),
// and index files are exempt from scopes, so unscoped packuments stay raw.
TEST(IsIndexFileTest, UnscopedNamesAtTheRootAreRaw) {
  ExpectRaw({
      "lodash",
      "react",
      "left-pad",
      "is_number",
      "express",
      "7zip-bin",
      "versions",
      "names",
  });
}

// `@scope/{name}` is a scoped packument.
TEST(IsIndexFileTest, ScopedPackuments) {
  ExpectIndex({
      "@babel/core",
      "@types/node",
      "@angular/cli",
      "@acme-corp/agent_tools",
      "@scope.with.dots/pkg",
  });
}

// A dotted, upper-case or deeper name is not a packument: calling every root file an index
// would exempt it from every scope, so such names are raw files.
TEST(IsIndexFileTest, NotPackuments) {
  ExpectRaw({
      "README.md",
      "LICENSE",
      "Makefile",
      "socket.io",
      "install.sh",
      "JSONStream",
      "_private",
      "-dash",
      "@babel",
      "@Babel/core",
      "@/core",
      "@babel/Core",
      "@babel/core.js",
      "node_modules/lodash",
      "lodash/latest",
      "@babel/core/extra",
      "notscope/core",
  });
}

// npm tarballs give the package name and the version after "{name}-".
TEST(IdentifyPackageTest, NpmTarballs) {
  ExpectIdentities({
      {"lodash/-/lodash-4.17.21.tgz", kNpm, "lodash", "4.17.21", "", ""},
      {"react/-/react-18.2.0.tgz", kNpm, "react", "18.2.0", "", ""},
      {"left-pad/-/left-pad-1.3.0.tgz", kNpm, "left-pad", "1.3.0", "", ""},
      {"socket.io/-/socket.io-4.7.2.tgz", kNpm, "socket.io", "4.7.2", "", ""},
      {"JSONStream/-/JSONStream-1.3.5.tgz", kNpm, "JSONStream", "1.3.5", "", ""},
      {"is-number/-/is-number-7.0.0.tgz", kNpm, "is-number", "7.0.0", "", ""},
      {"7zip-bin/-/7zip-bin-5.2.0.tgz", kNpm, "7zip-bin", "5.2.0", "", ""},
      {"string-width-cjs/-/string-width-cjs-4.2.3.tgz", kNpm, "string-width-cjs", "4.2.3", "", ""},
      {"npm/registry/lodash/-/lodash-4.17.21.tgz", kNpm, "lodash", "4.17.21", "", ""},
      {"uuid/-/uuid-9.0.1.tgz", kNpm, "uuid", "9.0.1", "", ""},
  });
}

// Scoped npm tarballs are named "@scope/name".
TEST(IdentifyPackageTest, ScopedNpmTarballs) {
  ExpectIdentities({
      {"@babel/core/-/core-7.23.0.tgz", kNpm, "@babel/core", "7.23.0", "", ""},
      {"@types/node/-/node-20.8.2.tgz", kNpm, "@types/node", "20.8.2", "", ""},
      {"@angular/cli/-/cli-16.2.5.tgz", kNpm, "@angular/cli", "16.2.5", "", ""},
      {"@acme/agent-tools/-/agent-tools-2.1.0.tgz", kNpm, "@acme/agent-tools", "2.1.0", "", ""},
      {"@scope/pkg.js/-/pkg.js-1.0.0.tgz", kNpm, "@scope/pkg.js", "1.0.0", "", ""},
      {"registry/@babel/core/-/core-7.23.0.tgz", kNpm, "@babel/core", "7.23.0", "", ""},
  });
}

// npm pre-release and build metadata stay in the version.
TEST(IdentifyPackageTest, NpmPreReleases) {
  ExpectIdentities({
      {"agent/-/agent-1.0.0-beta.1.tgz", kNpm, "agent", "1.0.0-beta.1", "", ""},
      {"agent/-/agent-1.0.0-rc.0.tgz", kNpm, "agent", "1.0.0-rc.0", "", ""},
      {"agent/-/agent-1.0.0-alpha-2.tgz", kNpm, "agent", "1.0.0-alpha-2", "", ""},
      {"agent/-/agent-1.0.0+build.5.tgz", kNpm, "agent", "1.0.0+build.5", "", ""},
      {"agent/-/agent-1.0.0-next.3+sha.abc.tgz", kNpm, "agent", "1.0.0-next.3+sha.abc", "", ""},
      {"typescript/-/typescript-5.3.0-dev.20231001.tgz", kNpm, "typescript", "5.3.0-dev.20231001",
       "", ""},
      {"@next/swc-linux-x64-gnu/-/swc-linux-x64-gnu-13.5.4-canary.1.tgz", kNpm,
       "@next/swc-linux-x64-gnu", "13.5.4-canary.1", "", ""},
      {"@scope/a-1/-/a-1-2.0.0-beta.tgz", kNpm, "@scope/a-1", "2.0.0-beta", "", ""},
  });
}

// A .tgz that does not match its "{name}/-/" folder, or has no version, is not an npm tarball.
TEST(IdentifyPackageTest, MalformedNpmIsRaw) {
  ExpectRaw({
      "lodash/lodash-4.17.21.tgz",
      "lodash/-/underscore-1.13.6.tgz",
      "lodash/-/lodash.tgz",
      "lodash/-/lodash-.tgz",
      "lodash/-/lodash-latest.tgz",
      "lodash/-/lodash4.17.21.tgz",
      "lodash-es/-/lodash-4.17.21.tgz",
      "-/lodash-4.17.21.tgz",
      "lodash-4.17.21.tgz",
      "releases/tool-1.2.3.tgz",
  });
}

// SemVer 2.0.0 §11's example chain, extended with the spec's core-version example.
TEST(CompareSemVerTest, SpecPrecedenceChain) {
  ExpectAscending(CompareSemVer,
                  {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                   "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"});
}

// Core numbers and numeric identifiers compare numerically, below alphanumeric ones, which
// compare in ASCII order.
TEST(CompareSemVerTest, Identifiers) {
  ExpectCases(CompareSemVer, {{"1.10.0", "1.9.0", 1},
                              {"1.2.3-2", "1.2.3-10", -1},
                              {"1.2.3-1", "1.2.3-a", -1},
                              {"1.2.3-alpha.1", "1.2.3-alpha.a", -1},
                              {"1.2.3-B", "1.2.3-a", -1},
                              {"1.2.3-x-y", "1.2.3-x", 1},
                              {"99999999999999999999.0.0", "9999999999999999999.0.0", 1}});
}

// Build metadata takes no part in precedence (§10, §11).
TEST(CompareSemVerTest, BuildMetadataIgnored) {
  ExpectCases(CompareSemVer, {{"1.0.0+20130313144700", "1.0.0", 0},
                              {"1.0.0-beta+exp.sha.5114f85", "1.0.0-beta", 0},
                              {"1.0.0-alpha+001", "1.0.0-alpha+002", 0}});
}

// A leading '=' or 'v' is accepted, and a missing minor or patch reads as 0.
TEST(CompareSemVerTest, PrefixesAndPartialVersions) {
  ExpectCases(CompareSemVer, {{"v1.2.3", "1.2.3", 0},
                              {"=1.2.3", "1.2.3", 0},
                              {"=v1.2.3", "1.2.3", 0},
                              {"2", "2.0.0", 0},
                              {"2.1", "2.1.0", 0},
                              {"2.1", "2.1.1", -1},
                              {"2.1-rc.1", "2.1.0", -1}});
}

// Malformed versions sort below every valid one, and among themselves naturally.
TEST(CompareSemVerTest, MalformedFallback) {
  for (std::string_view malformed : {"01.2.3", "1.02.3", "1.2.3.4", "1.2.3-01", "1.2.3-", "1.2.3+",
                                     "1.2.3-a..b", "1.2.3-a.", "1.", "latest", ""}) {
    SCOPED_TRACE(malformed);
    EXPECT_LT(CompareSemVer(malformed, "0.0.0-0"), 0);
    EXPECT_GT(CompareSemVer("0.0.0-0", malformed), 0);
  }
  ExpectCases(CompareSemVer, {{"1.2.3.10", "1.2.3.9", 1}, {"latest", "latest", 0}});
}

// Releases and pre-releases as SemVer reads them; what it cannot read is neither.
TEST(ClassifySemVerTest, ReleasesPrereleasesAndInvalid) {
  for (std::string_view release : {"2.0.0", "v2.1", "1.0.0+build.5", "0.0.1"}) {
    EXPECT_EQ(ClassifySemVer(release), SemVerKind::kRelease) << release;
  }
  for (std::string_view prerelease : {"2.0.0-rc.1", "1.0.0-0", "1.0.0-beta+exp"}) {
    EXPECT_EQ(ClassifySemVer(prerelease), SemVerKind::kPrerelease) << prerelease;
  }
  for (std::string_view invalid : {"01.2.3", "1.2.3-", "1.2.3.4", "latest", ""}) {
    EXPECT_EQ(ClassifySemVer(invalid), SemVerKind::kInvalid) << invalid;
  }
}

}  // namespace
}  // namespace tollgate::formats
