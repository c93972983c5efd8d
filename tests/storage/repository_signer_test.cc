// The apt view signed with a repository key: InRelease and Release.gpg as the Debian view
// renders them verify with the real gpgv against the key that key.asc answers, for a key
// tollgate made and for an uploaded RSA key.
#include "tollgate/storage/openpgp/repository_signer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gpgv.h"
#include "tollgate/formats/package_view.h"
#include "tollgate/storage/openpgp/openpgp_key.h"

namespace tollgate::storage {
namespace {

using ::tollgate::testing::GoodSignature;
using ::tollgate::testing::Gpgv;

std::string Fixture(std::string_view name) {
  std::ifstream in(std::filesystem::path(TOLLGATE_TESTDATA) / "openpgp" / name, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

formats::PackageFile Agent() {
  formats::PackageFile file;
  file.path = "pool/main/a/acme-agent/acme-agent_2.0_all.deb";
  file.identity = {formats::PackageFormat::kDeb, "acme-agent", "2.0", "all", ""};
  file.size = 1234;
  file.sha256 = std::string(64, 'a');
  file.metadata = R"({"control":"Package: acme-agent\nVersion: 2.0\nArchitecture: all\n"})";
  return file;
}

// The deb view's answer to `rest`, signed by `signer`.
std::string Render(std::string_view rest, const RepositorySigner& signer) {
  const formats::PackageFile file = Agent();
  const std::vector<const formats::PackageFile*> files = {&file};
  const formats::ViewRequest request{.rest = rest,
                                     .is_folder = false,
                                     .variant = "",
                                     .view_url = "http://dl.example/basic/acme/agents/-/deb/",
                                     .files_url = "http://dl.example/basic/acme/agents/",
                                     .files = files,
                                     .files_as_of_unix_micros = 1'796'500'800'000'000,
                                     .signer = &signer};
  absl::StatusOr<formats::ViewAnswer> answer = formats::FindView("deb")->Answer(request);
  EXPECT_TRUE(answer.ok()) << answer.status();
  return answer.ok() ? answer->body : "";
}

void ExpectAptVerifies(const SigningKeyMaterial& key) {
  const RepositorySigner signer(key);
  const std::string release = Render("Release", signer);
  Gpgv gpgv(Render("key.asc", signer));
  ASSERT_TRUE(gpgv.Ready());
  const std::string in_release = Render("InRelease", signer);
  EXPECT_TRUE(GoodSignature(gpgv.VerifyClearsigned(in_release), key.fingerprint));
  EXPECT_NE(in_release.find(release), std::string::npos) << "InRelease holds Release as is";
  EXPECT_TRUE(
      GoodSignature(gpgv.VerifyDetached(Render("Release.gpg", signer), release), key.fingerprint));
}

TEST(RepositorySignerTest, GeneratedKeysSignaturesVerifyWithGpgv) {
  absl::StatusOr<SigningKeyMaterial> key =
      GenerateSigningKey("tollgate acme/agents <noreply@tollgate.invalid>");
  ASSERT_TRUE(key.ok()) << key.status();
  ExpectAptVerifies(*key);
}

TEST(RepositorySignerTest, UploadedRsaKeysSignaturesVerifyWithGpgv) {
  absl::StatusOr<SigningKeyMaterial> key = ImportSigningKey(Fixture("rsa_secret.asc"));
  ASSERT_TRUE(key.ok()) << key.status();
  ExpectAptVerifies(*key);
}

// A Release.gpg of one key does not verify against another key's key.asc.
TEST(RepositorySignerTest, AnotherKeysSignatureFailsGpgv) {
  absl::StatusOr<SigningKeyMaterial> one = GenerateSigningKey("one <one@tollgate.invalid>");
  absl::StatusOr<SigningKeyMaterial> other = GenerateSigningKey("other <o@tollgate.invalid>");
  ASSERT_TRUE(one.ok() && other.ok());
  const RepositorySigner signer(*one);
  Gpgv gpgv(RepositorySigner(*other).PublicKey().value_or(""));
  ASSERT_TRUE(gpgv.Ready());
  EXPECT_NE(gpgv.VerifyClearsigned(Render("InRelease", signer)).exit_code, 0);
}

// A damaged stored key is an error with a sentence, not a crash.
TEST(RepositorySignerTest, DamagedKeyIsAnError) {
  const RepositorySigner signer(SigningKeyMaterial{"public", "not a key", "00"});
  absl::StatusOr<std::string> signed_text = signer.ClearSign("Date: x\n");
  EXPECT_FALSE(signed_text.ok());
  EXPECT_FALSE(signer.DetachSign("Date: x\n").ok());
}

}  // namespace
}  // namespace tollgate::storage
