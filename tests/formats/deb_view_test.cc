// Tests of the Debian view: Packages stanzas from control paragraphs with the pool's Filename,
// Size and hashes, Packages.gz and Release that match them byte for byte, the signed forms
// through the signer, the pool and key.asc, and what is not there.
#include "deb/deb_view.h"

#include <zlib.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "deb/deb_metadata.h"
#include "gtest/gtest.h"
#include "tollgate/base/message_digest.h"

namespace tollgate::formats {
namespace {

constexpr std::string_view kViewUrl = "https://dl.example/basic/acme/agents/-/deb/";
constexpr std::string_view kFilesUrl = "https://dl.example/basic/acme/agents/";
// Sat, 05 Dec 2026 20:00:00 UTC.
constexpr int64_t kAsOf = 1'796'500'800'000'000;

std::string Metadata(std::string_view control) {
  std::string json = R"({"control":")";
  for (char c : control) {
    if (c == '\n') {
      json += "\\n";
    } else if (c == '"' || c == '\\') {
      json += '\\';
      json += c;
    } else {
      json += c;
    }
  }
  return json + "\"}";
}

PackageFile Deb(std::string name, std::string version, std::string extra_control = "") {
  PackageFile file;
  file.path = "pool/main/" + name + "_" + version + "_all.deb";
  file.identity = PackageIdentity{PackageFormat::kDeb, name, version, "all", ""};
  file.size = 1000 + version.size();
  file.sha1 = std::string(40, '1');
  file.sha256 = std::string(64, '2');
  file.sha512 = std::string(128, '5');
  file.metadata = Metadata("Package: " + name + "\nVersion: " + version + "\nArchitecture: all\n" +
                           extra_control + "Description: " + name + "\n text\n");
  return file;
}

// Signs by wrapping, so a test can see what was signed.
class FakeSigner final : public ViewSigner {
 public:
  absl::StatusOr<std::string> ClearSign(std::string_view text) const override {
    if (fail) return absl::InternalError("the key is damaged");
    return "CLEAR[" + std::string(text) + "]";
  }
  absl::StatusOr<std::string> DetachSign(std::string_view text) const override {
    if (fail) return absl::InternalError("the key is damaged");
    return "DETACHED[" + std::string(text) + "]";
  }
  absl::StatusOr<std::string> PublicKey() const override { return "PUBLIC KEY"; }
  bool fail = false;
};

std::string Gunzip(std::string_view gz) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  stream.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  char chunk[4096];
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
  }
  EXPECT_EQ(result, Z_STREAM_END);
  inflateEnd(&stream);
  return out;
}

// Release's "SHA256:" (or "SHA512:") section: file name → "hash size".
std::map<std::string, std::pair<std::string, size_t>> ReleaseSection(const std::string& release,
                                                                     std::string_view label) {
  std::map<std::string, std::pair<std::string, size_t>> listed;
  const size_t start = release.find(std::string(label) + ":\n");
  if (start == std::string::npos) return listed;
  std::istringstream lines(release.substr(start + label.size() + 2));
  for (std::string line; std::getline(lines, line) && line.starts_with(' ');) {
    std::istringstream words(line);
    std::string hash;
    size_t size = 0;
    std::string name;
    words >> hash >> size >> name;
    listed[name] = {hash, size};
  }
  return listed;
}

class DebViewTest : public ::testing::Test {
 protected:
  absl::StatusOr<ViewAnswer> Answer(std::string_view rest, bool is_folder = false,
                                    const ViewSigner* signer = nullptr) {
    pointers_.clear();
    for (const PackageFile& file : files_) pointers_.push_back(&file);
    const ViewRequest request{.rest = rest,
                              .is_folder = is_folder,
                              .variant = "",
                              .view_url = kViewUrl,
                              .files_url = kFilesUrl,
                              .files = pointers_,
                              .files_as_of_unix_micros = kAsOf,
                              .signer = signer};
    return DebView().Answer(request);
  }

  // The body of a document the test expects.
  std::string Body(std::string_view rest, const ViewSigner* signer = nullptr) {
    absl::StatusOr<ViewAnswer> answer = Answer(rest, false, signer);
    EXPECT_TRUE(answer.ok()) << answer.status();
    if (!answer.ok()) return "";
    EXPECT_EQ(answer->kind, ViewAnswer::Kind::kDocument) << rest;
    return answer->body;
  }

  std::vector<PackageFile> files_ = {Deb("acme-agent", "1.10"), Deb("acme-agent", "1.9"),
                                     Deb("acme-tools", "0.1")};
  std::vector<const PackageFile*> pointers_;
};

TEST_F(DebViewTest, PackagesHasOneStanzaPerFileWithThePoolFields) {
  const std::string packages = Body("Packages");
  const std::string expected_first =
      "Package: acme-agent\nVersion: 1.9\nArchitecture: all\nDescription: acme-agent\n text\n"
      "Filename: pool/pool/main/acme-agent_1.9_all.deb\nSize: 1003\nSHA1: " +
      std::string(40, '1') + "\nSHA256: " + std::string(64, '2') +
      "\nSHA512: " + std::string(128, '5') + "\n\n";
  EXPECT_TRUE(packages.starts_with(expected_first)) << packages;
  EXPECT_EQ(Answer("Packages")->content_type, "text/plain; charset=utf-8");
}

// Sorted by name, then dpkg's version order (1.9 before 1.10), whatever the path order.
TEST_F(DebViewTest, StanzasAreInNameAndVersionOrder) {
  const std::string packages = Body("Packages");
  const size_t v19 = packages.find("Version: 1.9\n");
  const size_t v110 = packages.find("Version: 1.10\n");
  const size_t tools = packages.find("Package: acme-tools\n");
  ASSERT_NE(v19, std::string::npos);
  EXPECT_LT(v19, v110);
  EXPECT_LT(v110, tools);
}

// A package's own claims about its place in the pool are dropped: the view's are the truth.
TEST_F(DebViewTest, PackagesOwnPoolFieldsAreReplaced) {
  files_ = {Deb("acme-agent", "1.0",
                "Filename: ../../etc/passwd\nSize: 1\nMD5sum: 00\nsha256: 00\nSHA1: 00\n")};
  const std::string packages = Body("Packages");
  EXPECT_EQ(packages.find("passwd"), std::string::npos) << packages;
  EXPECT_EQ(packages.find("MD5sum"), std::string::npos);
  EXPECT_EQ(packages.find(": 00\n"), std::string::npos);
  EXPECT_NE(packages.find("Filename: pool/pool/main/acme-agent_1.0_all.deb\nSize: 1003\n"),
            std::string::npos);
}

// Files without a readable control, and paths that would break a Filename line, are left out.
TEST_F(DebViewTest, UnlistableFilesAreLeftOut) {
  files_.push_back(Deb("no-control", "1.0"));
  files_.back().metadata = "";
  files_.push_back(Deb("bad-control", "1.0"));
  files_.back().metadata = Metadata("not a field\n");
  files_.push_back(Deb("line-break", "1.0"));
  files_.back().path = "pool/x\nPackage: evil.deb";
  const std::string packages = Body("Packages");
  EXPECT_EQ(packages.find("no-control"), std::string::npos);
  EXPECT_EQ(packages.find("bad-control"), std::string::npos);
  EXPECT_EQ(packages.find("evil"), std::string::npos);
  EXPECT_EQ(packages.find("line-break"), std::string::npos);
}

// Older records lack SHA-1 and SHA-512: only SHA-256 is written for them.
TEST_F(DebViewTest, MissingDigestsAreLeftOut) {
  files_ = {Deb("acme-agent", "1.0")};
  files_[0].sha1.clear();
  files_[0].sha512.clear();
  const std::string packages = Body("Packages");
  EXPECT_EQ(packages.find("SHA1:"), std::string::npos);
  EXPECT_EQ(packages.find("SHA512:"), std::string::npos);
  EXPECT_NE(packages.find("SHA256: "), std::string::npos);
}

TEST_F(DebViewTest, PackagesGzIsPackagesGzipped) {
  absl::StatusOr<ViewAnswer> gz = Answer("Packages.gz");
  ASSERT_TRUE(gz.ok());
  EXPECT_EQ(gz->content_type, "application/gzip");
  EXPECT_EQ(Gunzip(gz->body), Body("Packages"));
  // gzip's header: no FNAME or other flag, modification time 0.
  ASSERT_GT(gz->body.size(), 10u);
  EXPECT_EQ(gz->body[3], 0);
  EXPECT_EQ(gz->body.substr(4, 4), std::string(4, '\0'));
}

// Every document is the same for the same files: the view cache and Release rely on it.
TEST_F(DebViewTest, DocumentsAreDeterministic) {
  for (std::string_view rest : {"Packages", "Packages.gz", "Release"}) {
    EXPECT_EQ(Body(rest), Body(rest)) << rest;
  }
}

// Release lists Packages and Packages.gz with the sizes and digests of the bytes served.
TEST_F(DebViewTest, ReleaseHashesMatchTheServedIndexes) {
  const std::string release = Body("Release");
  const std::string packages = Body("Packages");
  const std::string packages_gz = Body("Packages.gz");
  const auto sha256 = ReleaseSection(release, "SHA256");
  ASSERT_EQ(sha256.size(), 2u) << release;
  EXPECT_EQ(sha256.at("Packages").first, HexDigestOf(MessageDigest::Algorithm::kSha256, packages));
  EXPECT_EQ(sha256.at("Packages").second, packages.size());
  EXPECT_EQ(sha256.at("Packages.gz").first,
            HexDigestOf(MessageDigest::Algorithm::kSha256, packages_gz));
  EXPECT_EQ(sha256.at("Packages.gz").second, packages_gz.size());
  const auto sha512 = ReleaseSection(release, "SHA512");
  EXPECT_EQ(sha512.at("Packages.gz").first,
            HexDigestOf(MessageDigest::Algorithm::kSha512, packages_gz));
}

// The date is the files' as-of time, as apt-ftparchive formats it.
TEST_F(DebViewTest, ReleaseDateIsTheFilesAsOfTime) {
  EXPECT_TRUE(Body("Release").starts_with("Date: Sat, 05 Dec 2026 20:00:00 UTC\n"));
}

// No files: empty indexes, still listed and signed, so apt sees an empty repository.
TEST_F(DebViewTest, EmptyRepositoryHasEmptyIndexes) {
  files_.clear();
  EXPECT_EQ(Body("Packages"), "");
  EXPECT_EQ(Gunzip(Body("Packages.gz")), "");
  EXPECT_EQ(ReleaseSection(Body("Release"), "SHA256").at("Packages").second, 0u);
}

TEST_F(DebViewTest, InReleaseAndReleaseGpgSignRelease) {
  const FakeSigner signer;
  const std::string release = Body("Release");
  EXPECT_EQ(Body("InRelease", &signer), "CLEAR[" + release + "]");
  EXPECT_EQ(Body("Release.gpg", &signer), "DETACHED[" + release + "]");
  EXPECT_EQ(Answer("Release.gpg", false, &signer)->content_type, "application/pgp-signature");
}

TEST_F(DebViewTest, KeyAscIsThePublicKey) {
  const FakeSigner signer;
  EXPECT_EQ(Body("key.asc", &signer), "PUBLIC KEY");
  EXPECT_EQ(Answer("key.asc", false, &signer)->content_type, "application/pgp-keys");
}

// A signing failure is an error that says so, never a document.
TEST_F(DebViewTest, SigningFailureIsAnError) {
  FakeSigner signer;
  signer.fail = true;
  absl::StatusOr<ViewAnswer> answer = Answer("InRelease", false, &signer);
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.status().message().find("signing key did not sign: the key is damaged"),
            std::string::npos)
      << answer.status();
  EXPECT_FALSE(Answer("InRelease").ok()) << "no signer";
}

TEST_F(DebViewTest, PoolServesTheRepositoryFile) {
  absl::StatusOr<ViewAnswer> answer = Answer("pool/pool/main/acme-agent_1.9_all.deb");
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->kind, ViewAnswer::Kind::kRepositoryFile);
  EXPECT_EQ(answer->target, "pool/main/acme-agent_1.9_all.deb");
}

TEST_F(DebViewTest, AnythingElseIsNotFound) {
  for (std::string_view rest :
       {"", "pool", "pool/", "Packages.xz", "dists/stable/Release", "Sources", "index.html"}) {
    absl::StatusOr<ViewAnswer> answer = Answer(rest);
    ASSERT_TRUE(answer.ok()) << rest;
    EXPECT_EQ(answer->kind, ViewAnswer::Kind::kNotFound) << rest;
  }
  EXPECT_EQ(Answer("Packages", true)->kind, ViewAnswer::Kind::kNotFound);
}

// What the gateway must provide: files for the generated indexes, the signer for the signed
// ones and key.asc, neither for the pool.
TEST_F(DebViewTest, NeedsFilesAndSignerOnlyWhereUsed) {
  const PackageView& view = DebView();
  for (std::string_view rest : {"Packages", "Packages.gz", "Release", "InRelease", "Release.gpg"}) {
    EXPECT_TRUE(view.NeedsFiles(rest, false)) << rest;
  }
  EXPECT_FALSE(view.NeedsFiles("pool/a_1_all.deb", false));
  EXPECT_FALSE(view.NeedsFiles("key.asc", false));
  EXPECT_TRUE(view.NeedsSigner("InRelease", false));
  EXPECT_TRUE(view.NeedsSigner("Release.gpg", false));
  EXPECT_TRUE(view.NeedsSigner("key.asc", false));
  EXPECT_FALSE(view.NeedsSigner("Release", false));
  EXPECT_FALSE(view.NeedsSigner("pool/a_1_all.deb", false));
  EXPECT_EQ(FindView("deb"), &view);
}

}  // namespace
}  // namespace tollgate::formats
