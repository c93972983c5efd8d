// Tests of The registry: format names, index files common to every format, the order of the
// identification passes, version order dispatch, and the order properties of every format.
#include "tollgate/formats/registry.h"

#include <string>
#include <string_view>
#include <vector>

#include "deb/deb_format.h"
#include "gtest/gtest.h"
#include "identity_expectations.h"
#include "npm/npm_format.h"
#include "order_expectations.h"
#include "python/python_format.h"
#include "raw/raw_format.h"
#include "rpm/rpm_format.h"

namespace tollgate::formats {
namespace {

// Every format has its SPEC name, and parsing that name gives the format back.
TEST(PackageFormatTest, NamesRoundTrip) {
  for (PackageFormat format : {kDeb, kRpm, kPython, kNpm, kMaven, kNuget, kRuby, kRaw}) {
    SCOPED_TRACE(PackageFormatName(format));
    EXPECT_EQ(ParsePackageFormat(PackageFormatName(format)), format);
  }
  EXPECT_EQ(PackageFormatName(kDeb), "deb");
  EXPECT_EQ(PackageFormatName(kRpm), "rpm");
  EXPECT_EQ(PackageFormatName(kPython), "python");
  EXPECT_EQ(PackageFormatName(kNpm), "npm");
  EXPECT_EQ(PackageFormatName(kMaven), "maven");
  EXPECT_EQ(PackageFormatName(kNuget), "nuget");
  EXPECT_EQ(PackageFormatName(kRuby), "ruby");
  EXPECT_EQ(PackageFormatName(kRaw), "raw");
}

// Format names parse regardless of case.
TEST(PackageFormatTest, ParseIgnoresCase) {
  EXPECT_EQ(ParsePackageFormat("DEB"), kDeb);
  EXPECT_EQ(ParsePackageFormat("Python"), kPython);
  EXPECT_EQ(ParsePackageFormat("NuGet"), kNuget);
  EXPECT_EQ(ParsePackageFormat("mAvEn"), kMaven);
}

// Anything that is not exactly a format name is refused.
TEST(PackageFormatTest, ParseRefusesOtherNames) {
  for (std::string_view name :
       {"", "debs", "de", " deb", "deb ", "pypi", "gem", "rubygems", "java", "apk", "raw\n"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(ParsePackageFormat(name), std::nullopt);
  }
}

// index.html anywhere is a (PEP 503) index page, and a folder path is served by one.
TEST(IsIndexFileTest, IndexPagesAndFolders) {
  ExpectIndex({
      "index.html",
      "simple/index.html",
      "simple/requests/index.html",
      "python/simple/python-dateutil/index.html",
      "simple/",
      "simple/requests/",
      "",
  });
}

// Checksum and signature files are index files, including those of packages.
TEST(IsIndexFileTest, ChecksumsAndSignatures) {
  ExpectIndex({
      "com/example/agent/1.0/agent-1.0.jar.sha1",
      "com/example/agent/1.0/agent-1.0.jar.md5",
      "com/example/agent/1.0/agent-1.0.pom.sha256",
      "com/example/agent/1.0/agent-1.0.pom.sha512",
      "com/example/agent/1.0/agent-1.0.jar.asc",
      "com/example/agent/1.0/agent-1.0.jar.asc.sha1",
      "pool/main/a/agent/agent_2.1.0_amd64.deb.sha256",
      "releases/tool-1.2.3.tar.gz.sig",
      "releases/tool-1.2.3.tar.gz.asc",
      "releases/tool-linux-amd64.sha256",
      "packages/requests-2.31.0-py3-none-any.whl.asc",
      "x86_64/agent-2.1.0-1.el9.x86_64.rpm.sig",
      "gems/rails-7.1.0.gem.sha512",
      "file.md5",
  });
}

// Checksum names are matched as spelled in SPEC: an upper-case extension is not one.
TEST(IsIndexFileTest, ChecksumExtensionsAreCaseSensitive) {
  ExpectRaw({"releases/tool.tar.gz.SHA256", "releases/tool.ASC", "SHA256SUMS"});
}

// Package files are never index files.
TEST(IsIndexFileTest, PackagesAreNotIndexFiles) {
  for (std::string_view path : {
           "pool/main/a/agent/agent_2.1.0_amd64.deb",
           "x86_64/agent-2.1.0-1.el9.x86_64.rpm",
           "packages/requests-2.31.0-py3-none-any.whl",
           "lodash/-/lodash-4.17.21.tgz",
           "com/example/agent/1.0/agent-1.0.jar",
           "com/example/agent/1.0/agent-1.0.pom",
           "newtonsoft.json.13.0.1.nupkg",
           "gems/rails-7.1.0.gem",
       }) {
    SCOPED_TRACE(path);
    EXPECT_FALSE(IsIndexFile(path));
  }
}

// A folder name that looks like a package does not make a package of the file inside it.
TEST(IdentifyPackageTest, PackageLikeFoldersDoNotCount) {
  ExpectRaw({
      "agent_2.1.0_amd64.deb/README",
      "rails-7.1.0.gem/notes.txt",
      "Newtonsoft.Json.13.0.1.nupkg/file.bin",
  });
}

// Index checks come first: an index name wins over any package shape.
TEST(IdentifyPackageTest, IndexWinsOverPackageShape) {
  ExpectIndex({
      "com/example/agent/1.0/agent-1.0.jar.sha1",
      "dists/bookworm/main/binary-amd64/by-hash/SHA256/agent_2.1.0_amd64.deb",
      "simple/requests/requests-2.31.0.tar.gz.metadata",
      "gems/rails-7.1.0.gem.asc",
  });
}

// The extension's own format wins over a Maven-shaped path, and Maven is the fallback when
// the file does not have that format's shape.
TEST(IdentifyPackageTest, ExtensionFormatBeforeMaven) {
  ExpectIdentities({
      {"com/example/agent/1.0/agent_1.0_amd64.deb", kDeb, "agent", "1.0", "amd64", ""},
      {"com/example/agent/1.0/agent-1.0.deb", kMaven, "agent", "1.0", "", "com.example"},
      {"com/example/agent/1.0/agent-1.0-1.x86_64.rpm", kRpm, "agent", "1.0-1", "x86_64", ""},
      {"com/example/agent/1.0/agent-1.0.rpm", kMaven, "agent", "1.0", "", "com.example"},
      {"com/example/agent/1.0/agent-1.0.gem", kRuby, "agent", "1.0", "", ""},
      {"com/example/agent/1.0/agent-1.0-py3-none-any.whl", kPython, "agent", "1.0", "", ""},
  });
}

// Each format goes to its own order: the same pair sorts differently per format.
TEST(CompareVersionsTest, DispatchesByFormat) {
  EXPECT_LT(CompareVersions(PackageFormat::kDeb, "1.0~rc1", "1.0"), 0);
  EXPECT_EQ(CompareVersions(PackageFormat::kRpm, "2.0", "2_0"), 0);
  EXPECT_EQ(CompareVersions(PackageFormat::kPython, "1.0", "1.0.0"), 0);
  EXPECT_LT(CompareVersions(PackageFormat::kNpm, "1.0.0-rc.1", "1.0.0"), 0);
  for (PackageFormat format :
       {PackageFormat::kMaven, PackageFormat::kNuget, PackageFormat::kRuby, PackageFormat::kRaw}) {
    SCOPED_TRACE(static_cast<int>(format));
    EXPECT_GT(CompareVersions(format, "1.0~rc1", "1.0"), 0);
    EXPECT_GT(CompareVersions(format, "1.0.0-rc.1", "1.0.0"), 0);
    EXPECT_LT(CompareVersions(format, "1.0", "1.0.0"), 0);
  }
}

struct OrderTable {
  std::string name;
  Compare compare;
  std::vector<std::string_view> versions;
};

class CompareOrderPropertyTest : public testing::TestWithParam<OrderTable> {};

// Over a mixed table (well-formed, odd and malformed versions) each order is reflexive,
// antisymmetric and transitive, so sorting and range checks are well defined.
TEST_P(CompareOrderPropertyTest, IsATotalPreorder) {
  const OrderTable& table = GetParam();
  const auto cmp = [&](std::string_view a, std::string_view b) {
    return SignOf(table.compare(a, b));
  };
  for (std::string_view a : table.versions) {
    EXPECT_EQ(cmp(a, a), 0) << '"' << a << '"';
    for (std::string_view b : table.versions) {
      EXPECT_EQ(cmp(a, b), -cmp(b, a)) << '"' << a << "\" vs \"" << b << '"';
      for (std::string_view c : table.versions) {
        const int ab = cmp(a, b);
        const int bc = cmp(b, c);
        if (ab > 0 || bc > 0) continue;
        // a <= b <= c gives a <= c, strictly when either step is strict.
        EXPECT_EQ(cmp(a, c), ab < 0 || bc < 0 ? -1 : 0)
            << '"' << a << "\" <= \"" << b << "\" <= \"" << c << '"';
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Formats, CompareOrderPropertyTest,
    testing::Values(
        OrderTable{"Debian",
                   CompareDebianVersions,
                   {"",
                    "~",
                    "~~",
                    "~~a",
                    "a",
                    "0",
                    "00",
                    "0-0",
                    "0:0-0",
                    "1.0~rc1",
                    "1.0~~",
                    "1.0",
                    "1.0-0",
                    "1.0-1",
                    "1.0+b1",
                    "1.0a",
                    "1.0.",
                    "1.0%",
                    "1:0.1",
                    "1%3a0.1",
                    "1%3A1.0-1",
                    "2:1.0:5-1",
                    "2%3a1.0%3a5-1",
                    "2.0",
                    "2.4",
                    "2.30",
                    "7.6p2-4",
                    "98.1-pre2-b6-2",
                    "1.18.36-0.17.35-18",
                    "x:1.0",
                    "1.0-~",
                    "1.0-a~b"}},
        OrderTable{"Rpm", CompareRpmVersions, {"",          "1.0",      "1.0-1",
                                               "1.0-1.el9", "1.0~rc1",  "1.0~rc1^git1",
                                               "1.0^",      "1.0^git1", "1.0^git1~pre",
                                               "1.0.1",     "1.01",     "1.0a",
                                               "1.0aa",     "2_0",      "2.0",
                                               "0:2.0",     "1:1.0",    "10:0.1",
                                               "xyz.4",     "8",        "5.5p10",
                                               "5.5p2",     "10.0001",  "10.1",
                                               "a+",        "_",        "+",
                                               "~",         "^",        "1.0-~1",
                                               "1.0-^",     "1..0",     ":1.0"}},
        OrderTable{
            "Pep440", ComparePep440Versions, {"1.dev0",       "1.0.dev456", "1.0a1",
                                              "1.0a2.dev456", "1.0a12",     "1.0b2.post345",
                                              "1.0rc1",       "1.0c1",      "1.0",
                                              "1.0.0",        "v1",         "1.0+abc.5",
                                              "1.0+5",        "1.0+05",     "1.0.post456.dev34",
                                              "1.0-456",      "1.0.15",     "1!0.1",
                                              "0!2.0",        "1.0a.post1", "1.0-r1.dev2",
                                              "latest",       "1.0-",       "",
                                              "1..0",         "1.0+",       "build-10",
                                              "build-9"}},
        OrderTable{"SemVer",
                   CompareSemVer,
                   {"1.0.0-alpha",
                    "1.0.0-alpha.1",
                    "1.0.0-alpha.beta",
                    "1.0.0-beta.11",
                    "1.0.0-rc.1",
                    "1.0.0",
                    "1.0.0+build",
                    "v1.0.0",
                    "1",
                    "1.0",
                    "1.0-rc.1",
                    "2.1.1",
                    "1.2.3-0",
                    "1.2.3-a",
                    "1.2.3-A",
                    "1.2.3-x-y",
                    "01.2.3",
                    "1.2.3.4",
                    "1.2.3.10",
                    "1.2.3-01",
                    "latest",
                    "",
                    "1.2.3-a..b"}},
        OrderTable{
            "Natural",
            CompareNaturalVersions,
            {"",     "0",    "00",      "1",       "1.0",          "1.00",       "1.0.1",
             "1.9",  "1.10", "1.0-RC1", "1.0-rc1", "1.0-SNAPSHOT", "1.0_1",      "v1.0",
             "V1.0", "a",    "B",       "~",       "1.0~",         "2021.01.02", "2021.1.2"}}),
    [](const testing::TestParamInfo<OrderTable>& param) { return param.param.name; });

}  // namespace
}  // namespace tollgate::formats
