// Tests of Raw files and the natural version order every format falls back to.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "identity_expectations.h"
#include "order_expectations.h"
#include "raw/raw_format.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

// Files of no known shape are raw, named after the last segment, with an empty version.
TEST(IdentifyPackageTest, OtherFilesAreRaw) {
  ExpectRaw({
      "docs/README.md",
      "README.md",
      "releases/v1.2.3/tool-linux-amd64",
      "releases/tool-linux-amd64.exe",
      "releases/tool.dmg",
      "releases/tool-1.2.3.msi",
      "images/logo.png",
      "keys/repo.gpg",
      "keys/RPM-GPG-KEY-acme",
      "config/agent.repo",
      "a/b/c/d/e/f/g/h/notes.txt",
      "releases/SHA256SUMS",
      "checksums.txt",
      "Dockerfile",
      "deb/agent_2.1.0_amd64.changes",
      "deb/agent_2.1.0.dsc",
      "deb/agent_2.1.0.orig.tar.xz",
      "com/example/agent/1.0/notes.txt",
      "downloads/agent-2.1.0.apk",
      "downloads/agent.jar",
      "v1.2.3",
  });
}

// Digit runs compare numerically, of any length; equal strings are equal.
TEST(CompareNaturalVersionsTest, NumericRuns) {
  ExpectCases(CompareNaturalVersions, {{"1.10", "1.9", 1},
                                       {"2.0", "2.0", 0},
                                       {"1.007", "1.7", 0},
                                       {"10", "9", 1},
                                       {"1.123456789012345678901234567890", "1.99", 1}});
}

// Text runs compare bytewise with ASCII letters folded, so case does not matter.
TEST(CompareNaturalVersionsTest, CaseInsensitiveText) {
  ExpectCases(CompareNaturalVersions, {{"1.0-RC1", "1.0-rc1", 0},
                                       {"1.0-alpha", "1.0-beta", -1},
                                       {"1.0-Alpha", "1.0-beta", -1},
                                       {"1.0_1", "1.0.1", 1}});
}

// A version that is a prefix of another sorts first (natural order knows no pre-releases),
// and a leading digit run sorts before leading text.
TEST(CompareNaturalVersionsTest, PrefixesAndKinds) {
  ExpectCases(
      CompareNaturalVersions,
      {{"1.0", "1.0.1", -1}, {"1.0", "1.0-SNAPSHOT", -1}, {"", "0", -1}, {"1.0", "v1.0", -1}});
}

}  // namespace
}  // namespace tollgate::formats
