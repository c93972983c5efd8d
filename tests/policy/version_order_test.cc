// Tests of version ordering per package format (SPEC §5.1), with cases taken from each
// format's own specification or reference implementation's test suite.
#include "tollgate/policy/version_order.h"

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace tollgate::policy {
namespace {

using Compare = int (*)(std::string_view, std::string_view);

int Sign(int value) { return (value > 0) - (value < 0); }

// `want` is the expected sign of compare(a, b); every case is also checked reversed.
struct Case {
  std::string_view a;
  std::string_view b;
  int want;
};

void ExpectCases(Compare compare, std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << '"' << c.a << "\" vs \"" << c.b << '"');
    EXPECT_EQ(Sign(compare(c.a, c.b)), c.want);
    EXPECT_EQ(Sign(compare(c.b, c.a)), -c.want);
  }
}

// Every version sorts strictly below every later one.
void ExpectAscending(Compare compare, std::initializer_list<std::string_view> chain) {
  const std::vector<std::string_view> v(chain);
  for (size_t i = 0; i < v.size(); ++i) {
    for (size_t j = i + 1; j < v.size(); ++j) {
      SCOPED_TRACE(testing::Message() << '"' << v[i] << "\" < \"" << v[j] << '"');
      EXPECT_LT(compare(v[i], v[j]), 0);
      EXPECT_GT(compare(v[j], v[i]), 0);
    }
  }
}

// Debian Policy §5.6.12's example: "~~" < "~~a" < "~" < the empty part < "a", as whole
// strings and inside an upstream version.
TEST(CompareDebianVersionsTest, PolicyTildeExample) {
  ExpectAscending(CompareDebianVersions, {"~~", "~~a", "~", "", "a"});
  ExpectAscending(CompareDebianVersions, {"1.0~~", "1.0~~a", "1.0~", "1.0", "1.0a"});
}

// A '~' sorts before the end of the string, so pre-releases sort below the release.
TEST(CompareDebianVersionsTest, TildeSortsBeforeRelease) {
  ExpectCases(CompareDebianVersions, {{"1.0~rc1", "1.0", -1},
                                      {"1.0~rc1", "1.0~rc2", -1},
                                      {"1.0~rc1-1", "1.0-1", -1},
                                      {"2.0~beta1", "1.9", 1}});
}

// Digit runs compare numerically, leading zeros ignored, with no overflow on long runs.
TEST(CompareDebianVersionsTest, NumericParts) {
  ExpectCases(CompareDebianVersions, {{"2.30", "2.4", 1},
                                      {"1.18.36", "1.18.35", 1},
                                      {"4.999.9", "5.0", -1},
                                      {"1.010", "1.10", 0},
                                      {"000123", "123", 0},
                                      {"1.123456789012345678901234567890", "1.99", 1}});
}

// Letters sort before other characters, and a longer non-digit part after its prefix.
TEST(CompareDebianVersionsTest, NonDigitParts) {
  ExpectCases(CompareDebianVersions, {{"1.0+b1", "1.0", 1},
                                      {"1.0a", "1.0+", -1},
                                      {"1.0a", "1.0.", -1},
                                      {"0-pre", "0-pree", -1},
                                      {"7.6p2-4", "7.6-0", 1},
                                      {"2.0.7pre1-4", "2.0.7r-1", -1},
                                      {"1.1.6r2-2", "1.1.6r-1", 1}});
}

// The epoch defaults to 0 and decides before anything else.
TEST(CompareDebianVersionsTest, EpochDecidesFirst) {
  ExpectCases(CompareDebianVersions, {{"1:0.1", "2.0", 1},
                                      {"0:1.0", "1.0", 0},
                                      {"00:1.0", "1.0", 0},
                                      {"10.3", "1:0.4", -1},
                                      {"10:1", "9:2", 1},
                                      {"9:1.18.36:5.4-20", "10:0.5.1-22", -1},
                                      {"9:1.18.36:5.4-20", "9:1.18.36:5.5-1", -1}});
}

// The revision is what follows the last '-'; a missing revision equals "0".
TEST(CompareDebianVersionsTest, RevisionAfterLastDash) {
  ExpectCases(CompareDebianVersions, {{"1.0", "1.0-1", -1},
                                      {"1.0", "1.0-0", 0},
                                      {"1:1.2.13-3", "1:1.2.13-3.1", -1},
                                      {"1.18.36-0.17.35-18", "1.18.36-19", 1},
                                      {"98.1p5-1", "98.1-pre2-b6-2", -1},
                                      {"0:0-0-0", "0-0", 1},
                                      {"0:0:0-0", "0:0-0", 1}});
}

// Pool file names spell the epoch colon "%3a"; it reads exactly like ':'.
TEST(CompareDebianVersionsTest, EscapedColon) {
  ExpectCases(CompareDebianVersions, {{"1%3a1.0-1", "1:1.0-1", 0},
                                      {"1%3A1.0-1", "1:1.0-1", 0},
                                      {"1%3a0.1", "2.0", 1},
                                      {"2%3a1.0%3a5-1", "2:1.0:5-1", 0},
                                      {"2%3a1.0%3a5-1", "2:1.0:6-1", -1}});
}

// The table of rpm's own tests/rpmvercmp.at (one direction of each pair).
TEST(CompareRpmVersionsTest, RpmvercmpTable) {
  ExpectCases(CompareRpmVersions, {{"1.0", "1.0", 0},
                                   {"1.0", "2.0", -1},
                                   {"2.0.1", "2.0.1", 0},
                                   {"2.0", "2.0.1", -1},
                                   {"2.0.1a", "2.0.1", 1},
                                   {"5.5p1", "5.5p2", -1},
                                   {"5.5p10", "5.5p1", 1},
                                   {"10xyz", "10.1xyz", -1},
                                   {"xyz10", "xyz10.1", -1},
                                   {"xyz.4", "8", -1},
                                   {"xyz.4", "2", -1},
                                   {"5.5p2", "5.6p1", -1},
                                   {"5.6p1", "6.5p1", -1},
                                   {"6.0.rc1", "6.0", 1},
                                   {"10b2", "10a1", 1},
                                   {"10a2", "10b2", -1},
                                   {"1.0a", "1.0aa", -1},
                                   {"10.0001", "10.1", 0},
                                   {"10.0001", "10.0039", -1},
                                   {"4.999.9", "5.0", -1},
                                   {"20101121", "20101122", -1},
                                   {"2.0", "2_0", 0},
                                   {"a+", "a_", 0},
                                   {"+a", "_a", 0},
                                   {"_+", "+_", 0},
                                   {"+", "_", 0},
                                   {"1.0~rc1", "1.0", -1},
                                   {"1.0~rc1", "1.0~rc2", -1},
                                   {"1.0~rc1~git123", "1.0~rc1", -1},
                                   {"1.0^", "1.0", 1},
                                   {"1.0^git1", "1.0", 1},
                                   {"1.0^git1", "1.0^git2", -1},
                                   {"1.0^git1", "1.01", -1},
                                   {"1.0^20160101", "1.0.1", -1},
                                   {"1.0^20160102", "1.0^20160101^git1", 1},
                                   {"1.0~rc1^git1", "1.0~rc1", 1},
                                   {"1.0^git1", "1.0^git1~pre", 1}});
}

// Digit runs of any length compare numerically without overflowing.
TEST(CompareRpmVersionsTest, LongNumbers) {
  ExpectCases(CompareRpmVersions, {{"1.123456789012345678901234567890", "1.99", 1},
                                   {"1.000000000000000000000000000001", "1.1", 0}});
}

// The epoch ("E:") decides first and defaults to 0; then the version, then the release.
TEST(CompareRpmVersionsTest, EpochVersionRelease) {
  ExpectCases(CompareRpmVersions, {{"1:1.0-1", "2.0-1", 1},
                                   {"0:1.0-1", "1.0-1", 0},
                                   {"10:1.0-1", "9:1.0-1", 1},
                                   {"1.1-1", "1.0-9", 1},
                                   {"1.0-10", "1.0-9", 1},
                                   {"1.0-1.el9", "1.0-1.el8", 1},
                                   {"1.0-1.el9_2", "1.0-1.el9", 1},
                                   {"1.0-rc1-2", "1.0-rc1-1", 1}});
}

// A version without a release sorts below the same version with any release.
TEST(CompareRpmVersionsTest, MissingReleaseSortsFirst) {
  ExpectCases(CompareRpmVersions,
              {{"1.0", "1.0-1", -1}, {"1.0", "1.0-0", -1}, {"1.1", "1.0-9", 1}});
}

// The example ordering listed in PEP 440's "Summary of permitted suffixes and relative
// ordering".
TEST(ComparePep440VersionsTest, SpecOrdering) {
  ExpectAscending(ComparePep440Versions, {"1.dev0",
                                          "1.0.dev456",
                                          "1.0a1",
                                          "1.0a2.dev456",
                                          "1.0a12.dev456",
                                          "1.0a12",
                                          "1.0b1.dev456",
                                          "1.0b2",
                                          "1.0b2.post345.dev456",
                                          "1.0b2.post345",
                                          "1.0rc1.dev456",
                                          "1.0rc1",
                                          "1.0",
                                          "1.0+abc.5",
                                          "1.0+abc.7",
                                          "1.0+5",
                                          "1.0.post456.dev34",
                                          "1.0.post456",
                                          "1.0.15",
                                          "1.1.dev1"});
}

// Release segments have implicit trailing zeros, and the epoch ("N!") decides first.
TEST(ComparePep440VersionsTest, ReleaseAndEpoch) {
  ExpectCases(ComparePep440Versions, {{"1.0", "1.0.0", 0},
                                      {"1", "1.0.0.0", 0},
                                      {"1.0.0.1", "1.0", 1},
                                      {"1.10", "1.9", 1},
                                      {"01.02", "1.2", 0},
                                      {"1!0.5", "2.0", 1},
                                      {"0!1.0", "1.0", 0}});
}

// PEP 440's normalisation: alternative spellings, separators, implicit numbers, case and a
// leading 'v' all denote the same version.
TEST(ComparePep440VersionsTest, NormalisedSpellingsAreEqual) {
  ExpectCases(
      ComparePep440Versions,
      {{"1.0alpha1", "1.0a1", 0},   {"1.0-a-1", "1.0a1", 0},      {"1.0_a_1", "1.0a1", 0},
       {"1.0.a.1", "1.0a1", 0},     {"1.0ALPHA1", "1.0a1", 0},    {"1.0beta2", "1.0b2", 0},
       {"1.0c1", "1.0rc1", 0},      {"1.0pre1", "1.0rc1", 0},     {"1.0preview1", "1.0rc1", 0},
       {"1.0a", "1.0a0", 0},        {"1.0-1", "1.0.post1", 0},    {"1.0-r1", "1.0.post1", 0},
       {"1.0rev1", "1.0.post1", 0}, {"1.0post1", "1.0.post1", 0}, {"1.0.post", "1.0.post0", 0},
       {"1.0.dev", "1.0.dev0", 0},  {"1.0-dev-2", "1.0.dev2", 0}, {"v1.0", "1.0", 0},
       {"V1.0", "1.0", 0},          {" 1.0 ", "1.0", 0}});
}

// Local versions sort above the public one; segments compare numbers above text, text
// case-insensitively, and a longer local after its prefix.
TEST(ComparePep440VersionsTest, LocalVersions) {
  ExpectCases(ComparePep440Versions, {{"1.0+0", "1.0", 1},
                                      {"1.0+abc", "1.0+1", -1},
                                      {"1.0+10", "1.0+9", 1},
                                      {"1.0+01", "1.0+1", 0},
                                      {"1.0+1.a", "1.0+1", 1},
                                      {"1.0+ubuntu-1", "1.0+ubuntu.1", 0},
                                      {"1.0+UBUNTU_1", "1.0+ubuntu.1", 0},
                                      {"1.0+abc", "1.0+abd", -1},
                                      {"1.0+local", "1.0.post1", -1}});
}

// Versions PEP 440 cannot parse sort below every valid one, and among themselves naturally.
TEST(ComparePep440VersionsTest, MalformedFallback) {
  ExpectCases(ComparePep440Versions, {{"latest", "0.dev0", -1},
                                      {"1.0-", "0.dev0", -1},
                                      {"1.0+", "0.dev0", -1},
                                      {"1.0.x", "0.dev0", -1},
                                      {"", "0.dev0", -1},
                                      {"build-10", "build-9", 1},
                                      {"1..0", "1..0", 0}});
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
    return Sign(table.compare(a, b));
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
}  // namespace tollgate::policy
