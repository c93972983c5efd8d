// Tests of package identity (SPEC §5): format names, which paths are index files, and the
// format, name, version, architecture and group read from package file names.
#include "tollgate/policy/package_identity.h"

#include <initializer_list>
#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace tollgate::policy {
namespace {

struct IdentityCase {
  std::string_view path;
  PackageFormat format;
  std::string_view name;
  std::string_view version;
  std::string_view architecture;
  std::string_view group;
};

// Checks every case of `cases`, naming the path of the one that fails.
void ExpectIdentities(std::initializer_list<IdentityCase> cases) {
  for (const IdentityCase& expected : cases) {
    SCOPED_TRACE(expected.path);
    const std::optional<PackageIdentity> identity = IdentifyPackage(expected.path);
    if (!identity.has_value()) {
      ADD_FAILURE() << "identified as an index file";
      continue;
    }
    EXPECT_EQ(PackageFormatName(identity->format), PackageFormatName(expected.format));
    EXPECT_EQ(identity->name, expected.name);
    EXPECT_EQ(identity->version, expected.version);
    EXPECT_EQ(identity->architecture, expected.architecture);
    EXPECT_EQ(identity->group, expected.group);
  }
}

// Checks that each path is a raw file named after its last segment.
void ExpectRaw(std::initializer_list<std::string_view> paths) {
  for (std::string_view path : paths) {
    SCOPED_TRACE(path);
    const std::string_view file = path.substr(path.rfind('/') + 1);
    ExpectIdentities({{path, PackageFormat::kRaw, file, "", "", ""}});
  }
}

// Checks that each path is an index file both ways: IsIndexFile and no identity.
void ExpectIndex(std::initializer_list<std::string_view> paths) {
  for (std::string_view path : paths) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(IsIndexFile(path));
    EXPECT_FALSE(IdentifyPackage(path).has_value());
  }
}

constexpr PackageFormat kDeb = PackageFormat::kDeb;
constexpr PackageFormat kRpm = PackageFormat::kRpm;
constexpr PackageFormat kPython = PackageFormat::kPython;
constexpr PackageFormat kNpm = PackageFormat::kNpm;
constexpr PackageFormat kMaven = PackageFormat::kMaven;
constexpr PackageFormat kNuget = PackageFormat::kNuget;
constexpr PackageFormat kRuby = PackageFormat::kRuby;
constexpr PackageFormat kRaw = PackageFormat::kRaw;

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

// NuGet's v3 index.json files (service index, registrations, version lists) are metadata.
TEST(IsIndexFileTest, NugetIndexes) {
  ExpectIndex({
      "index.json",
      "v3/index.json",
      "v3-flatcontainer/newtonsoft.json/index.json",
      "registration/newtonsoft.json/index.json",
      "v3-flatcontainer/newtonsoft.json/13.0.1/newtonsoft.json.nuspec",
  });
}

// maven-metadata.xml and its checksum and signature siblings are index files.
TEST(IsIndexFileTest, MavenMetadata) {
  ExpectIndex({
      "com/example/tools/agent/maven-metadata.xml",
      "com/example/tools/agent/maven-metadata.xml.md5",
      "com/example/tools/agent/maven-metadata.xml.sha1",
      "com/example/tools/agent/maven-metadata.xml.sha256",
      "com/example/tools/agent/maven-metadata.xml.sha512",
      "com/example/tools/agent/maven-metadata.xml.asc",
      "com/example/tools/agent/1.0-SNAPSHOT/maven-metadata.xml",
      "com/example/tools/maven-metadata.xml",
      "maven-metadata.xml",
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

// PEP 658 metadata files beside python distributions are index files.
TEST(IsIndexFileTest, PythonCoreMetadata) {
  ExpectIndex({
      "packages/requests-2.31.0-py3-none-any.whl.metadata",
      "simple/requests/requests-2.31.0.tar.gz.metadata",
      "simple/pywin32/pywin32-306.zip.metadata",
  });
}

// RubyGems' spec indexes and per-gem quick specs are index files.
TEST(IsIndexFileTest, RubygemsIndexes) {
  ExpectIndex({
      "specs.4.8.gz",
      "specs.4.8",
      "latest_specs.4.8.gz",
      "latest_specs.4.8",
      "prerelease_specs.4.8.gz",
      "prerelease_specs.4.8",
      "Marshal.4.8",
      "Marshal.4.8.Z",
      "gems/specs.4.8.gz",
      "quick/Marshal.4.8/rails-7.1.0.gemspec.rz",
      "quick/Marshal.4.8/nokogiri-1.15.4-x86_64-linux.gemspec.rz",
  });
}

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

// Wheels give the PEP 503 name and the version.
TEST(IdentifyPackageTest, Wheels) {
  ExpectIdentities({
      {"packages/requests-2.31.0-py3-none-any.whl", kPython, "requests", "2.31.0", "", ""},
      {"packages/python_dateutil-2.8.2-py2.py3-none-any.whl", kPython, "python-dateutil", "2.8.2",
       "", ""},
      {"packages/numpy-1.26.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", kPython,
       "numpy", "1.26.0", "", ""},
      {"packages/cryptography-41.0.4-cp37-abi3-macosx_10_12_universal2.whl", kPython,
       "cryptography", "41.0.4", "", ""},
      {"packages/typing_extensions-4.8.0-py3-none-any.whl", kPython, "typing-extensions", "4.8.0",
       "", ""},
      {"packages/zope.interface-6.0-cp311-cp311-win_amd64.whl", kPython, "zope-interface", "6.0",
       "", ""},
      {"packages/pywin32-306-cp311-cp311-win_amd64.whl", kPython, "pywin32", "306", "", ""},
      {"packages/torch-2.1.0+cu121-cp311-cp311-linux_x86_64.whl", kPython, "torch", "2.1.0+cu121",
       "", ""},
      {"packages/Django-4.2.5rc1-py3-none-any.whl", kPython, "django", "4.2.5rc1", "", ""},
      {"packages/pip-23.2.1.dev0-py3-none-any.whl", kPython, "pip", "23.2.1.dev0", "", ""},
      {"packages/setuptools-68.2.2.post1-py3-none-any.whl", kPython, "setuptools", "68.2.2.post1",
       "", ""},
      {"packages/agent-1!2.0-py3-none-any.whl", kPython, "agent", "1!2.0", "", ""},
      {"packages/pydantic_core-2.10.1-cp312-cp312-musllinux_1_1_aarch64.whl", kPython,
       "pydantic-core", "2.10.1", "", ""},
      {"agent-1.0-py3-none-any.whl", kPython, "agent", "1.0", "", ""},
  });
}

// Upper-case and mixed separators in wheel names are PEP 503-normalised.
TEST(IdentifyPackageTest, WheelNamesNormalised) {
  ExpectIdentities({
      {"packages/Flask_SQLAlchemy-3.1.1-py3-none-any.whl", kPython, "flask-sqlalchemy", "3.1.1", "",
       ""},
      {"packages/PyYAML-6.0.1-cp311-cp311-manylinux_2_17_x86_64.whl", kPython, "pyyaml", "6.0.1",
       "", ""},
      {"packages/Jinja2-3.1.2-py3-none-any.whl", kPython, "jinja2", "3.1.2", "", ""},
      {"packages/MarkupSafe-2.1.3-cp311-cp311-win32.whl", kPython, "markupsafe", "2.1.3", "", ""},
      {"packages/My_Odd.__Name-1.0-py3-none-any.whl", kPython, "my-odd-name", "1.0", "", ""},
      {"packages/AGENT-1.0-py3-none-any.whl", kPython, "agent", "1.0", "", ""},
      {"packages/ruamel.yaml.clib-0.2.8-cp311-cp311-manylinux_2_5_x86_64.whl", kPython,
       "ruamel-yaml-clib", "0.2.8", "", ""},
  });
}

// A wheel's optional build tag (starting with a digit) is skipped, not taken as the version.
TEST(IdentifyPackageTest, WheelBuildTags) {
  ExpectIdentities({
      {"packages/agent-1.0-1-py3-none-any.whl", kPython, "agent", "1.0", "", ""},
      {"packages/agent-1.0-20230915-py3-none-any.whl", kPython, "agent", "1.0", "", ""},
      {"packages/agent-1.0-2_custom-cp311-cp311-linux_x86_64.whl", kPython, "agent", "1.0", "", ""},
      {"packages/Some_Pkg-0.9.1-12-py2.py3-none-any.whl", kPython, "some-pkg", "0.9.1", "", ""},
  });
}

// A .whl with the wrong number of fields, a bad build tag or no version is not a wheel.
TEST(IdentifyPackageTest, MalformedWheelIsRaw) {
  ExpectRaw({
      "packages/agent.whl",
      "packages/agent-1.0.whl",
      "packages/agent-1.0-py3-none.whl",
      "packages/agent-1.0-b1-py3-none-any.whl",
      "packages/python-dateutil-2.8.2-py3-none-any-extra.whl",
      "packages/agent-latest-py3-none-any.whl",
      "packages/agent--py3-none-any.whl",
      "packages/_agent-1.0-py3-none-any.whl",
  });
}

// Sdists give the PEP 503 name and the version, which starts at the last dash followed by a
// digit, so dashed names work.
TEST(IdentifyPackageTest, Sdists) {
  ExpectIdentities({
      {"packages/requests-2.31.0.tar.gz", kPython, "requests", "2.31.0", "", ""},
      {"packages/python-dateutil-2.8.2.tar.gz", kPython, "python-dateutil", "2.8.2", "", ""},
      {"packages/django-rest-framework-3.14.0.tar.gz", kPython, "django-rest-framework", "3.14.0",
       "", ""},
      {"packages/Django-4.2.5.tar.gz", kPython, "django", "4.2.5", "", ""},
      {"packages/zope.interface-6.0.tar.gz", kPython, "zope-interface", "6.0", "", ""},
      {"packages/typing_extensions-4.8.0.tar.gz", kPython, "typing-extensions", "4.8.0", "", ""},
      {"packages/pywin32-306.zip", kPython, "pywin32", "306", "", ""},
      {"packages/Flask-SQLAlchemy-3.1.1.zip", kPython, "flask-sqlalchemy", "3.1.1", "", ""},
      {"packages/agent-1.0rc1.tar.gz", kPython, "agent", "1.0rc1", "", ""},
      {"packages/agent-1.0.post2.tar.gz", kPython, "agent", "1.0.post2", "", ""},
      {"packages/agent-1.0.dev3.zip", kPython, "agent", "1.0.dev3", "", ""},
      {"packages/agent-1!2.0.tar.gz", kPython, "agent", "1!2.0", "", ""},
      {"packages/py-2-to-3-1.0.tar.gz", kPython, "py-2-to-3", "1.0", "", ""},
      {"packages/agent-1.0-beta.tar.gz", kPython, "agent", "1.0-beta", "", ""},
      {"packages/web3-6.11.0.tar.gz", kPython, "web3", "6.11.0", "", ""},
      {"packages/s3transfer-0.7.0.tar.gz", kPython, "s3transfer", "0.7.0", "", ""},
      {"simple/requests/requests-2.31.0.tar.gz", kPython, "requests", "2.31.0", "", ""},
      {"packages/source/r/requests/requests-2.31.0.tar.gz", kPython, "requests", "2.31.0", "", ""},
      {"requests-2.31.0.tar.gz", kPython, "requests", "2.31.0", "", ""},
  });
}

// An archive needs "-" followed by a version to be an sdist; otherwise it is raw.
TEST(IdentifyPackageTest, ArchivesWithoutVersionAreRaw) {
  ExpectRaw({
      "packages/foo.tar.gz",
      "packages/foo-bar.tar.gz",
      "packages/foo-latest.zip",
      "packages/foo_1.0.tar.gz",
      "packages/-1.0.tar.gz",
      "packages/foo-.tar.gz",
      "packages/@foo-1.0.tar.gz",
      "packages/foo bar-1.0.tar.gz",
      "packages/.hidden-1.0.zip",
      "backup.zip",
  });
}

// Other archive extensions are not sdists.
TEST(IdentifyPackageTest, OtherArchiveExtensionsAreRaw) {
  ExpectRaw({
      "packages/requests-2.31.0.tar.bz2",
      "packages/requests-2.31.0.tar.xz",
      "packages/requests-2.31.0.tar",
      "releases/tool-1.2.3.7z",
      "releases/tool-1.2.3.TAR.GZ",
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

// Maven artifacts give artifact, version and dotted group.
TEST(IdentifyPackageTest, MavenArtifacts) {
  ExpectIdentities({
      {"com/example/agent/1.0/agent-1.0.jar", kMaven, "agent", "1.0", "", "com.example"},
      {"com/example/agent/1.0/agent-1.0.pom", kMaven, "agent", "1.0", "", "com.example"},
      {"org/apache/commons/commons-lang3/3.13.0/commons-lang3-3.13.0.jar", kMaven, "commons-lang3",
       "3.13.0", "", "org.apache.commons"},
      {"com/google/guava/guava/32.1.2-jre/guava-32.1.2-jre.jar", kMaven, "guava", "32.1.2-jre", "",
       "com.google.guava"},
      {"junit/junit/4.13.2/junit-4.13.2.jar", kMaven, "junit", "4.13.2", "", "junit"},
      {"org/springframework/boot/spring-boot-starter-web/3.1.4/"
       "spring-boot-starter-web-3.1.4.pom",
       kMaven, "spring-boot-starter-web", "3.1.4", "", "org.springframework.boot"},
      {"com/example/webapp/2.0.0/webapp-2.0.0.war", kMaven, "webapp", "2.0.0", "", "com.example"},
      {"androidx/core/core-ktx/1.12.0/core-ktx-1.12.0.aar", kMaven, "core-ktx", "1.12.0", "",
       "androidx.core"},
      {"com/example/dist/1.0/dist-1.0.zip", kMaven, "dist", "1.0", "", "com.example"},
      {"com/example/agent/1.0/agent-1.0.module", kMaven, "agent", "1.0", "", "com.example"},
      {"org/jetbrains/kotlin/kotlin-stdlib/1.9.10/kotlin-stdlib-1.9.10.jar", kMaven,
       "kotlin-stdlib", "1.9.10", "", "org.jetbrains.kotlin"},
      {"io/netty/netty-all/4.1.100.Final/netty-all-4.1.100.Final.jar", kMaven, "netty-all",
       "4.1.100.Final", "", "io.netty"},
      {"com/example/agent/1.0.0-RC1/agent-1.0.0-RC1.jar", kMaven, "agent", "1.0.0-RC1", "",
       "com.example"},
      {"com/google/guava/guava/r09/guava-r09.jar", kMaven, "guava", "r09", "", "com.google.guava"},
  });
}

// Classifiers (-sources, -javadoc, platform classifiers …) are not part of the version.
TEST(IdentifyPackageTest, MavenClassifiers) {
  ExpectIdentities({
      {"com/example/agent/1.0/agent-1.0-sources.jar", kMaven, "agent", "1.0", "", "com.example"},
      {"com/example/agent/1.0/agent-1.0-javadoc.jar", kMaven, "agent", "1.0", "", "com.example"},
      {"com/example/agent/1.0/agent-1.0-tests.jar", kMaven, "agent", "1.0", "", "com.example"},
      {"io/netty/netty-transport-native-epoll/4.1.100.Final/"
       "netty-transport-native-epoll-4.1.100.Final-linux-x86_64.jar",
       kMaven, "netty-transport-native-epoll", "4.1.100.Final", "", "io.netty"},
      {"com/example/tool/1.0/tool-1.0-bin.zip", kMaven, "tool", "1.0", "", "com.example"},
      {"com/example/tool/1.0/tool-1.0-bin.tar.gz", kMaven, "tool", "1.0", "", "com.example"},
      {"com/example/tool/1.0/tool-1.0-linux-amd64.tgz", kMaven, "tool", "1.0", "", "com.example"},
      {"com/example/tool/1.0/tool-1.0.tar.gz", kMaven, "tool", "1.0", "", "com.example"},
      {"org/openjfx/javafx-graphics/21/javafx-graphics-21-win.jar", kMaven, "javafx-graphics", "21",
       "", "org.openjfx"},
      {"com/example/agent/1.0/agent-1.0-cyclonedx.json", kMaven, "agent", "1.0", "", "com.example"},
  });
}

// Deep groups are joined with dots.
TEST(IdentifyPackageTest, MavenDeepGroups) {
  ExpectIdentities({
      {"com/example/platform/tools/cli/agent/1.0/agent-1.0.jar", kMaven, "agent", "1.0", "",
       "com.example.platform.tools.cli"},
      {"org/apache/maven/plugins/maven-compiler-plugin/3.11.0/maven-compiler-plugin-3.11.0.jar",
       kMaven, "maven-compiler-plugin", "3.11.0", "", "org.apache.maven.plugins"},
      {"a/b/c/d/e/f/g/x/1/x-1.jar", kMaven, "x", "1", "", "a.b.c.d.e.f.g"},
      {"io/github/some-user/my-lib/0.1.0/my-lib-0.1.0.jar", kMaven, "my-lib", "0.1.0", "",
       "io.github.some-user"},
  });
}

// Snapshots, plain and timestamped, keep the version folder's "-SNAPSHOT" version.
TEST(IdentifyPackageTest, MavenSnapshots) {
  ExpectIdentities({
      {"com/example/agent/1.1-SNAPSHOT/agent-1.1-SNAPSHOT.jar", kMaven, "agent", "1.1-SNAPSHOT", "",
       "com.example"},
      {"com/example/agent/1.1-SNAPSHOT/agent-1.1-20230915.101502-3.jar", kMaven, "agent",
       "1.1-SNAPSHOT", "", "com.example"},
      {"com/example/agent/1.1-SNAPSHOT/agent-1.1-20230915.101502-3.pom", kMaven, "agent",
       "1.1-SNAPSHOT", "", "com.example"},
      {"com/example/agent/1.1-SNAPSHOT/agent-1.1-20230915.101502-12-sources.jar", kMaven, "agent",
       "1.1-SNAPSHOT", "", "com.example"},
  });
}

// A Maven-looking path whose file does not start with "{artifact}-{version}", whose version
// folder has no digit or that has no group folder is not Maven.
TEST(IdentifyPackageTest, MalformedMavenIsRaw) {
  ExpectRaw({
      "agent/1.0/agent-1.0.jar",
      "com/example/agent/1.0/agent-2.0.jar",
      "com/example/agent/1.0/other-1.0.jar",
      "com/example/agent/1.0/agent.jar",
      "com/example/agent/1.0/agent-1.0",
      "com/example/agent/1.0/agent-1.0.",
      "com/example/agent/1.0/agent-1.0-.jar",
      "com/example/agent/1.0/agent-1.0-sources",
      "com/example/agent/1.0/agent-1.0x.jar",
      "com/example/agent/1.1-SNAPSHOT/agent-1.1-2023091.101502-3.jar",
      "com/example/agent/1.1-SNAPSHOT/agent-1.1-20230915-101502-3.jar",
      "com/example/agent/1.1-SNAPSHOT/agent-1.1-20230915.101502.jar",
      "downloads/tool/linux/tool-linux-x64.tar.gz",
      "downloads/tool/latest/tool-latest.jar",
      "com/example/agent/1.0/sub/agent-1.0.jar",
  });
}

// NuGet packages give the id (with its dots and case) and the version.
TEST(IdentifyPackageTest, NugetPackages) {
  ExpectIdentities({
      {"Newtonsoft.Json.13.0.1.nupkg", kNuget, "Newtonsoft.Json", "13.0.1", "", ""},
      {"packages/Serilog.3.0.1.nupkg", kNuget, "Serilog", "3.0.1", "", ""},
      {"packages/Microsoft.Extensions.Logging.Abstractions.7.0.1.nupkg", kNuget,
       "Microsoft.Extensions.Logging.Abstractions", "7.0.1", "", ""},
      {"v3-flatcontainer/newtonsoft.json/13.0.1/newtonsoft.json.13.0.1.nupkg", kNuget,
       "newtonsoft.json", "13.0.1", "", ""},
      {"packages/NUnit.3.13.3.nupkg", kNuget, "NUnit", "3.13.3", "", ""},
      {"packages/System.Text.Json.8.0.0-rc.1.23419.4.nupkg", kNuget, "System.Text.Json",
       "8.0.0-rc.1.23419.4", "", ""},
      {"packages/Acme.Agent.2.1.0-beta.nupkg", kNuget, "Acme.Agent", "2.1.0-beta", "", ""},
      {"packages/Acme.Agent.2.1.0-beta+sha.abc.nupkg", kNuget, "Acme.Agent", "2.1.0-beta+sha.abc",
       "", ""},
      {"packages/Acme.Agent.2.1.0+build5.nupkg", kNuget, "Acme.Agent", "2.1.0+build5", "", ""},
      {"packages/Acme.Agent.1.0.0.0.nupkg", kNuget, "Acme.Agent", "1.0.0.0", "", ""},
      {"packages/Acme.Agent.1.0.nupkg", kNuget, "Acme.Agent", "1.0", "", ""},
      {"packages/Acme.Agent.1.nupkg", kNuget, "Acme.Agent", "1", "", ""},
      {"packages/log4net.2.0.15.nupkg", kNuget, "log4net", "2.0.15", "", ""},
      {"packages/Microsoft.NETCore.App.Runtime.linux-x64.7.0.11.nupkg", kNuget,
       "Microsoft.NETCore.App.Runtime.linux-x64", "7.0.11", "", ""},
      {"packages/Acme.3D.Tools.1.2.3.nupkg", kNuget, "Acme.3D.Tools", "1.2.3", "", ""},
      {"packages/Acme.V2.Client.4.0.0.nupkg", kNuget, "Acme.V2.Client", "4.0.0", "", ""},
      {"packages/xunit.runner.visualstudio.2.5.1.nupkg", kNuget, "xunit.runner.visualstudio",
       "2.5.1", "", ""},
  });
}

// A numeric id part followed by a non-version is part of the id; the first dot that starts
// a whole version wins.
TEST(IdentifyPackageTest, NugetNumericIdParts) {
  ExpectIdentities({
      {"packages/Acme.2.Bar.1.0.0.nupkg", kNuget, "Acme.2.Bar", "1.0.0", "", ""},
      {"packages/Acme.1.2.3.4.5.nupkg", kNuget, "Acme.1", "2.3.4.5", "", ""},
      {"packages/Acme.2.1.0.nupkg", kNuget, "Acme", "2.1.0", "", ""},
  });
}

// A .nupkg without an id or a version is not a NuGet package.
TEST(IdentifyPackageTest, MalformedNugetIsRaw) {
  ExpectRaw({
      "packages/Acme.Agent.nupkg",
      "packages/Acme.nupkg",
      "packages/.1.0.0.nupkg",
      "packages/Acme.Agent.1.0.0-.nupkg",
      "packages/Acme.Agent.1.0.0-beta+.nupkg",
      "packages/Acme.Agent.1.0.0_beta.nupkg",
      "packages/Acme.Agent.1..0.nupkg",
      "packages/-Acme.1.0.0.nupkg",
      "packages/Acme Agent.1.0.0.nupkg",
  });
}

// Gems give name and version; dashes belong to the name until the first version field.
TEST(IdentifyPackageTest, Gems) {
  ExpectIdentities({
      {"gems/rails-7.1.0.gem", kRuby, "rails", "7.1.0", "", ""},
      {"gems/aws-sdk-core-3.180.0.gem", kRuby, "aws-sdk-core", "3.180.0", "", ""},
      {"gems/rack-test-2.1.0.gem", kRuby, "rack-test", "2.1.0", "", ""},
      {"gems/net-http-persistent-4.0.2.gem", kRuby, "net-http-persistent", "4.0.2", "", ""},
      {"gems/rails-7.1.0.beta1.gem", kRuby, "rails", "7.1.0.beta1", "", ""},
      {"gems/rails-7.1.0.rc2.gem", kRuby, "rails", "7.1.0.rc2", "", ""},
      {"gems/bundler-2.4.20.pre.1.gem", kRuby, "bundler", "2.4.20.pre.1", "", ""},
      {"gems/rake-13.gem", kRuby, "rake", "13", "", ""},
      {"gems/ruby_parser-3.20.3.gem", kRuby, "ruby_parser", "3.20.3", "", ""},
      {"gems/concurrent-ruby-1.2.2.gem", kRuby, "concurrent-ruby", "1.2.2", "", ""},
      {"gems/ruby-3scale-1.0.gem", kRuby, "ruby-3scale", "1.0", "", ""},
      {"gems/oauth2-2.0.9.gem", kRuby, "oauth2", "2.0.9", "", ""},
      {"rails-7.1.0.gem", kRuby, "rails", "7.1.0", "", ""},
  });
}

// Platform gems keep only the version; the platform is not part of it.
TEST(IdentifyPackageTest, GemPlatforms) {
  ExpectIdentities({
      {"gems/nokogiri-1.15.4-x86_64-linux.gem", kRuby, "nokogiri", "1.15.4", "", ""},
      {"gems/nokogiri-1.15.4-arm64-darwin.gem", kRuby, "nokogiri", "1.15.4", "", ""},
      {"gems/nokogiri-1.15.4-x64-mingw-ucrt.gem", kRuby, "nokogiri", "1.15.4", "", ""},
      {"gems/grpc-1.58.0-x86_64-linux.gem", kRuby, "grpc", "1.58.0", "", ""},
      {"gems/ffi-1.16.3-java.gem", kRuby, "ffi", "1.16.3", "", ""},
      {"gems/google-protobuf-3.24.3-aarch64-linux.gem", kRuby, "google-protobuf", "3.24.3", "", ""},
      {"gems/sqlite3-1.6.6-x86_64-linux-musl.gem", kRuby, "sqlite3", "1.6.6", "", ""},
  });
}

// A .gem without a version field is not a gem.
TEST(IdentifyPackageTest, MalformedGemIsRaw) {
  ExpectRaw({
      "gems/rails.gem",
      "gems/rails-latest.gem",
      "gems/-7.1.0.gem",
      "gems/rails-7..1.gem",
      "gems/rails-7.1.0..gem",
      "gems/rails-3scale.gem",
  });
}

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

}  // namespace
}  // namespace tollgate::policy
