// Tests of RPM packages: repodata/ index files, package identity and rpmvercmp.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "identity_expectations.h"
#include "order_expectations.h"
#include "rpm/rpm_format.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

// yum/dnf metadata files below a repodata/ folder are index files.
TEST(IsIndexFileTest, RepodataFolder) {
  ExpectIndex({
      "repodata/repomd.xml",
      "repodata/repomd.xml.asc",
      "repodata/repomd.xml.key",
      "el9/x86_64/repodata/repomd.xml",
      "el9/x86_64/repodata/"
      "0c3f5cfbe9c1cd6d5cfb3b6e4f1d7e3a4b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e-primary.xml.gz",
      "fedora/38/x86_64/repodata/filelists.sqlite.bz2",
      "repodata/other.xml.zst",
      "centos/repodata/comps.xml",
  });
}

// Only metadata below repodata/ is an index: other files there keep their identity, so a
// scope cannot be dodged by placing a file in a repodata/ folder.
TEST(IsIndexFileTest, OtherFilesInRepodataAreNotIndexes) {
  ExpectRaw({"internal/repodata/secret.tar.gz", "repodata/notes.txt"});
}

// A repodata segment must be a whole folder name.
TEST(IsIndexFileTest, RepodataMustBeWholeSegment) {
  ExpectRaw({
      "myrepodata/repomd.xml",
      "repodata-old/repomd.xml",
      "docs/repodata.txt",
  });
}

// RPM files give name, "version-release" and architecture; names may contain dashes.
TEST(IdentifyPackageTest, RpmFiles) {
  ExpectIdentities({
      {"el9/x86_64/agent-2.1.0-1.el9.x86_64.rpm", kRpm, "agent", "2.1.0-1.el9", "x86_64", ""},
      {"fedora/38/noarch/perl-Data-Dumper-2.183-1.fc38.noarch.rpm", kRpm, "perl-Data-Dumper",
       "2.183-1.fc38", "noarch", ""},
      {"Packages/b/bash-5.2.15-3.fc38.x86_64.rpm", kRpm, "bash", "5.2.15-3.fc38", "x86_64", ""},
      {"aarch64/kernel-core-6.5.6-300.fc39.aarch64.rpm", kRpm, "kernel-core", "6.5.6-300.fc39",
       "aarch64", ""},
      {"x86_64/python3-dateutil-2.8.2-5.el9.noarch.rpm", kRpm, "python3-dateutil", "2.8.2-5.el9",
       "noarch", ""},
      {"i686/glibc-2.34-60.el9.i686.rpm", kRpm, "glibc", "2.34-60.el9", "i686", ""},
      {"ppc64le/openssl-libs-3.0.7-24.el9.ppc64le.rpm", kRpm, "openssl-libs", "3.0.7-24.el9",
       "ppc64le", ""},
      {"s390x/zlib-1.2.11-40.el9.s390x.rpm", kRpm, "zlib", "1.2.11-40.el9", "s390x", ""},
      {"x86_64/java-17-openjdk-headless-17.0.8.0.7-2.el9.x86_64.rpm", kRpm,
       "java-17-openjdk-headless", "17.0.8.0.7-2.el9", "x86_64", ""},
      {"noarch/tzdata-2023c-1.el9.noarch.rpm", kRpm, "tzdata", "2023c-1.el9", "noarch", ""},
      {"x86_64/vim-enhanced-9.0.1677-1.fc38.x86_64.rpm", kRpm, "vim-enhanced", "9.0.1677-1.fc38",
       "x86_64", ""},
      {"x86_64/agent-2.1.0~rc1-0.1.x86_64.rpm", kRpm, "agent", "2.1.0~rc1-0.1", "x86_64", ""},
      {"x86_64/agent-2.1.0^20230915git1a2b3c-1.x86_64.rpm", kRpm, "agent",
       "2.1.0^20230915git1a2b3c-1", "x86_64", ""},
      {"agent-2.1.0-1.x86_64.rpm", kRpm, "agent", "2.1.0-1", "x86_64", ""},
      {"rpms/el8/x86_64/a/b/agent-2.1.0-1.el8_8.x86_64.rpm", kRpm, "agent", "2.1.0-1.el8_8",
       "x86_64", ""},
      {"armv7hl/busybox-1.36.1-1.fc38.armv7hl.rpm", kRpm, "busybox", "1.36.1-1.fc38", "armv7hl",
       ""},
  });
}

// Source RPMs have the architecture "src" (or "nosrc").
TEST(IdentifyPackageTest, SourceRpms) {
  ExpectIdentities({
      {"SRPMS/agent-2.1.0-1.el9.src.rpm", kRpm, "agent", "2.1.0-1.el9", "src", ""},
      {"source/tree/Packages/p/perl-Data-Dumper-2.183-1.fc38.src.rpm", kRpm, "perl-Data-Dumper",
       "2.183-1.fc38", "src", ""},
      {"SRPMS/kernel-6.5.6-300.fc39.src.rpm", kRpm, "kernel", "6.5.6-300.fc39", "src", ""},
      {"SRPMS/firmware-blob-1.0-1.nosrc.rpm", kRpm, "firmware-blob", "1.0-1", "nosrc", ""},
  });
}

// An .rpm without name, version, release and architecture is not an rpm package.
TEST(IdentifyPackageTest, MalformedRpmIsRaw) {
  ExpectRaw({
      "x86_64/agent.rpm",
      "x86_64/agent-2.1.0.x86_64.rpm",
      "x86_64/agent-2.1.0-1.rpm",
      "x86_64/-2.1.0-1.x86_64.rpm",
      "x86_64/agent--1.x86_64.rpm",
      "x86_64/agent-2.1.0-.x86_64.rpm",
      "x86_64/agent-2.1.0-1..rpm",
      ".rpm",
  });
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

}  // namespace
}  // namespace tollgate::formats
