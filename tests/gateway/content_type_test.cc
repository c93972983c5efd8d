// Tests of the extension-to-Content-Type table.
#include "http/content_type.h"

#include <initializer_list>

#include "gtest/gtest.h"

namespace tollgate::gateway {
namespace {

constexpr std::string_view kText = "text/plain; charset=utf-8";
constexpr std::string_view kOctetStream = "application/octet-stream";

struct Case {
  std::string_view path;
  std::string_view type;
};

void ExpectTypes(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    EXPECT_EQ(ContentTypeFor(c.path), c.type);
  }
}

// Package files of every supported format get their registered type.
TEST(ContentTypeForTest, PackageFormats) {
  ExpectTypes({
      {"pool/main/a/agent_1.0_amd64.deb", "application/vnd.debian.binary-package"},
      {"pool/agent-udeb_1.0_amd64.udeb", "application/vnd.debian.binary-package"},
      {"pool/agent-dbgsym_1.0_amd64.ddeb", "application/vnd.debian.binary-package"},
      {"el9/agent-1.0-1.x86_64.rpm", "application/x-rpm"},
      {"agent-1.0-py3-none-any.whl", "application/zip"},
      {"agent-1.0.zip", "application/zip"},
      {"com/acme/agent/1.0/agent-1.0.jar", "application/java-archive"},
      {"com/acme/agent/1.0/agent-1.0.war", "application/java-archive"},
      {"com/acme/agent/1.0/agent-1.0.pom", "application/xml"},
      {"agent/-/agent-1.0.tgz", "application/gzip"},
      {"agent-1.0.gem", kOctetStream},
      {"acme.agent.1.0.0.nupkg", kOctetStream},
  });
}

// Compressed files get the compression's type.
TEST(ContentTypeForTest, CompressedFiles) {
  ExpectTypes({
      {"agent-1.0.tar.gz", "application/gzip"},
      {"Packages.gz", "application/gzip"},
      {"Packages.xz", "application/x-xz"},
      {"Packages.bz2", "application/x-bzip2"},
      {"repodata/primary.xml.zst", "application/zstd"},
      {"agent-1.0.tar", "application/x-tar"},
  });
}

// Indexes, checksums and signatures are text or PGP signatures.
TEST(ContentTypeForTest, IndexAndSignatureFiles) {
  ExpectTypes({
      {"simple/agent/index.html", "text/html; charset=utf-8"},
      {"legacy/index.htm", "text/html; charset=utf-8"},
      {"repodata/repomd.xml", "application/xml"},
      {"agent/package.json", "application/json"},
      {"NOTES.txt", kText},
      {"agent-1.0.jar.sha1", kText},
      {"agent-1.0.jar.sha256", kText},
      {"agent-1.0.jar.sha512", kText},
      {"agent-1.0.jar.md5", kText},
      {"agent-1.0.jar.asc", kText},
      {"dists/stable/Release.gpg", "application/pgp-signature"},
      {"agent-1.0.tar.gz.sig", "application/pgp-signature"},
  });
}

// Debian's extensionless index files are plain text; the names are case-sensitive.
TEST(ContentTypeForTest, DebianIndexNames) {
  ExpectTypes({
      {"dists/stable/Release", kText},
      {"dists/stable/InRelease", kText},
      {"dists/stable/main/binary-amd64/Packages", kText},
      {"dists/stable/main/source/Sources", kText},
      {"Packages", kText},
      {"dists/stable/packages", kOctetStream},
      {"dists/stable/Release/", kOctetStream},
  });
}

// The longest known suffix wins over the last extension alone.
TEST(ContentTypeForTest, LongestSuffixWins) {
  ExpectTypes({
      {"agent-1.0-py3-none-any.whl.metadata", kText},
      {"agent-1.0.metadata", kOctetStream},
  });
}

// Extensions match regardless of case.
TEST(ContentTypeForTest, CaseInsensitive) {
  ExpectTypes({
      {"AGENT.DEB", "application/vnd.debian.binary-package"},
      {"Agent.Tar.Gz", "application/gzip"},
      {"INDEX.HTML", "text/html; charset=utf-8"},
      {"x.WHL.Metadata", kText},
  });
}

// Unknown, missing and dot-file "extensions" fall back to octet-stream.
TEST(ContentTypeForTest, DefaultsToOctetStream) {
  ExpectTypes({
      {"", kOctetStream},
      {"agent", kOctetStream},
      {"agent.", kOctetStream},
      {"agent.exe", kOctetStream},
      {"dir.deb/agent", kOctetStream},
      {".deb", kOctetStream},
      {"folder/", kOctetStream},
      {"agent.debx", kOctetStream},
      {"agent.de", kOctetStream},
      {"agent.\xC4\xB0", kOctetStream},
  });
}

}  // namespace
}  // namespace tollgate::gateway
