// Tests of Debian packages: apt's index files, pool file identity and dpkg's version order.
#include <string>
#include <string_view>

#include "deb/deb_format.h"
#include "gtest/gtest.h"
#include "identity_expectations.h"
#include "order_expectations.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

// apt's release files, package and source lists are index files wherever they are (flat
// repositories keep them at the root).
TEST(IsIndexFileTest, AptReleaseAndLists) {
  ExpectIndex({
      "dists/bookworm/Release",
      "dists/bookworm/InRelease",
      "dists/bookworm/Release.gpg",
      "dists/bookworm/main/binary-amd64/Packages",
      "dists/bookworm/main/binary-amd64/Packages.gz",
      "dists/bookworm/main/binary-amd64/Packages.xz",
      "dists/bookworm/main/binary-arm64/Packages.bz2",
      "dists/bookworm/main/binary-arm64/Packages.lzma",
      "dists/bookworm/main/binary-arm64/Packages.zst",
      "dists/bookworm/main/binary-amd64/Release",
      "dists/bookworm/main/source/Sources",
      "dists/bookworm/main/source/Sources.gz",
      "dists/bookworm/main/source/Sources.xz",
      "debian/dists/stable/InRelease",
      "Release",
      "InRelease",
      "Release.gpg",
      "Packages",
      "Packages.gz",
      "Sources.xz",
      "flat/Packages.zst",
  });
}

// Below dists/, Contents, translations, AppStream data, pdiffs and by-hash files are index
// files too.
TEST(IsIndexFileTest, AptDistsMetadata) {
  ExpectIndex({
      "dists/bookworm/main/Contents-amd64",
      "dists/bookworm/main/Contents-amd64.gz",
      "dists/bookworm/Contents-udeb-arm64.xz",
      "dists/bookworm/main/i18n/Translation-en",
      "dists/bookworm/main/i18n/Translation-en.bz2",
      "dists/bookworm/main/i18n/Translation-pt_BR.xz",
      "dists/bookworm/main/i18n/Index",
      "dists/bookworm/main/source/Sources.diff/Index",
      "dists/bookworm/main/binary-amd64/Packages.diff/Index",
      "dists/bookworm/main/binary-amd64/Packages.diff/T-2023-09-15-2012.50-F-2023-09-14.gz",
      "dists/bookworm/main/binary-amd64/by-hash/SHA256/"
      "5b3a4d1c8f0e9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b",
      "dists/bookworm/main/i18n/by-hash/MD5Sum/0123456789abcdef0123456789abcdef",
      "dists/jammy/main/dep11/Components-amd64.yml.gz",
      "dists/jammy/main/dep11/icons-64x64.tar.gz",
      "dists/jammy/main/cnf/Commands-amd64.xz",
      "ubuntu/dists/jammy-updates/main/source/Sources.bz2",
  });
}

// The dists/-only names are ordinary files elsewhere.
TEST(IsIndexFileTest, AptDistsNamesOutsideDists) {
  ExpectRaw({
      "docs/Contents-of-the-box.pdf",
      "i18n/Translation-guide.txt",
      "data/Components-list.yml",
      "docs/Index",
      "by-hash/SHA256/abcdef",
      "notes/Packages.diff/changes.txt",
  });
}

// Debian pool files give name, version and architecture.
TEST(IdentifyPackageTest, DebPoolFiles) {
  ExpectIdentities({
      {"pool/main/a/agent/agent_2.1.0_amd64.deb", kDeb, "agent", "2.1.0", "amd64", ""},
      {"pool/main/a/agent/agent_2.1.0-1_arm64.deb", kDeb, "agent", "2.1.0-1", "arm64", ""},
      {"pool/main/c/curl/curl_7.88.1-10+deb12u4_amd64.deb", kDeb, "curl", "7.88.1-10+deb12u4",
       "amd64", ""},
      {"pool/main/p/python3-requests/python3-requests_2.28.1+dfsg-1_all.deb", kDeb,
       "python3-requests", "2.28.1+dfsg-1", "all", ""},
      {"pool/main/libs/libssl3/libssl3_3.0.11-1~deb12u2_amd64.deb", kDeb, "libssl3",
       "3.0.11-1~deb12u2", "amd64", ""},
      {"pool/main/g/gcc-12/g++-12_12.2.0-14_amd64.deb", kDeb, "g++-12", "12.2.0-14", "amd64", ""},
      {"pool/main/l/linux/linux-image-6.1.0-13-amd64_6.1.55-1_amd64.deb", kDeb,
       "linux-image-6.1.0-13-amd64", "6.1.55-1", "amd64", ""},
      {"pool/main/libx/libxml2/libxml2-dev_2.9.14+dfsg-1.3~deb12u1_i386.deb", kDeb, "libxml2-dev",
       "2.9.14+dfsg-1.3~deb12u1", "i386", ""},
      {"pool/contrib/j/java-package/java-package_0.63_all.deb", kDeb, "java-package", "0.63", "all",
       ""},
      {"pool/main/a/agent/agent_2.1.0_armhf.deb", kDeb, "agent", "2.1.0", "armhf", ""},
      {"pool/main/a/agent/agent_2.1.0_ppc64el.deb", kDeb, "agent", "2.1.0", "ppc64el", ""},
      {"pool/main/a/agent/agent_2.1.0_s390x.deb", kDeb, "agent", "2.1.0", "s390x", ""},
      {"pool/main/a/agent/agent_2.1.0_riscv64.deb", kDeb, "agent", "2.1.0", "riscv64", ""},
      {"pool/main/z/zlib/zlib1g_1.2.13.dfsg-1_amd64.deb", kDeb, "zlib1g", "1.2.13.dfsg-1", "amd64",
       ""},
      {"pool/main/n/nginx/nginx_1.22.1-9_amd64.deb", kDeb, "nginx", "1.22.1-9", "amd64", ""},
  });
}

// The percent-encoded epoch colon is decoded in either case, and nothing else is decoded.
TEST(IdentifyPackageTest, DebEpochs) {
  ExpectIdentities({
      {"pool/main/a/agent/agent_1%3a2.1.0-1_amd64.deb", kDeb, "agent", "1:2.1.0-1", "amd64", ""},
      {"pool/main/a/agent/agent_1%3A2.1.0-1_amd64.deb", kDeb, "agent", "1:2.1.0-1", "amd64", ""},
      {"pool/main/v/vim/vim_2%3a9.0.1378-2_amd64.deb", kDeb, "vim", "2:9.0.1378-2", "amd64", ""},
      {"pool/main/o/openssh/openssh-client_1%3a9.2p1-2+deb12u1_amd64.deb", kDeb, "openssh-client",
       "1:9.2p1-2+deb12u1", "amd64", ""},
      {"pool/main/a/agent/agent_10%3a1.0_all.deb", kDeb, "agent", "10:1.0", "all", ""},
      {"pool/main/a/agent/agent_1%3a2.0%2bgit1_amd64.deb", kDeb, "agent", "1:2.0%2bgit1", "amd64",
       ""},
      {"pool/main/a/agent/agent_1%3_amd64.deb", kDeb, "agent", "1%3", "amd64", ""},
      {"pool/main/a/agent/agent_1%3b2_amd64.deb", kDeb, "agent", "1%3b2", "amd64", ""},
  });
}

// Tildes (pre-releases and backports) stay in deb versions.
TEST(IdentifyPackageTest, DebTildes) {
  ExpectIdentities({
      {"pool/main/a/agent/agent_2.1.0~rc1_amd64.deb", kDeb, "agent", "2.1.0~rc1", "amd64", ""},
      {"pool/main/a/agent/agent_2.1.0~rc1-1~bpo12+1_amd64.deb", kDeb, "agent",
       "2.1.0~rc1-1~bpo12+1", "amd64", ""},
      {"pool/main/a/agent/agent_1.0~~alpha_all.deb", kDeb, "agent", "1.0~~alpha", "all", ""},
      {"pool/main/a/agent/agent_1%3a1.0~beta2-0ubuntu1~22.04_amd64.deb", kDeb, "agent",
       "1:1.0~beta2-0ubuntu1~22.04", "amd64", ""},
  });
}

// .udeb (installer) and .ddeb (debug symbols) files are deb packages.
TEST(IdentifyPackageTest, DebUdebAndDdeb) {
  ExpectIdentities({
      {"pool/main/d/debian-installer/anna_1.87_amd64.udeb", kDeb, "anna", "1.87", "amd64", ""},
      {"pool/main/b/busybox/busybox-udeb_1%3a1.35.0-4_amd64.udeb", kDeb, "busybox-udeb",
       "1:1.35.0-4", "amd64", ""},
      {"pool/main/l/linux/kernel-image-6.1.0-13-amd64-di_6.1.55-1_amd64.udeb", kDeb,
       "kernel-image-6.1.0-13-amd64-di", "6.1.55-1", "amd64", ""},
      {"pool/main/a/agent/agent-dbgsym_2.1.0-1_amd64.ddeb", kDeb, "agent-dbgsym", "2.1.0-1",
       "amd64", ""},
      {"pool/main/c/coreutils/coreutils-dbgsym_9.1-1ubuntu2_arm64.ddeb", kDeb, "coreutils-dbgsym",
       "9.1-1ubuntu2", "arm64", ""},
  });
}

// Deb files outside a pool, at the root or deeply nested, are identified the same way.
TEST(IdentifyPackageTest, DebAnywhere) {
  ExpectIdentities({
      {"agent_2.1.0_amd64.deb", kDeb, "agent", "2.1.0", "amd64", ""},
      {"releases/2023/09/agent_2.1.0_amd64.deb", kDeb, "agent", "2.1.0", "amd64", ""},
      {"a/b/c/d/e/f/tool_0.1_all.deb", kDeb, "tool", "0.1", "all", ""},
  });
}

// A .deb without exactly three underscore-separated non-empty fields is not a deb package.
TEST(IdentifyPackageTest, MalformedDebIsRaw) {
  ExpectRaw({
      "pool/agent.deb",
      "pool/agent_2.1.0.deb",
      "pool/agent_2.1.0_amd64_extra.deb",
      "pool/_2.1.0_amd64.deb",
      "pool/agent__amd64.deb",
      "pool/agent_2.1.0_.deb",
      ".deb",
      "downloads/agent-2.1.0-amd64.deb",
  });
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

}  // namespace
}  // namespace tollgate::formats
