// The signing-key library: keys it makes or accepts sign what apt's gpgv verifies (the real
// gpgv, reading the public key as apt's signed-by file would), keys GnuPG made round-trip,
// and every key that could not sign here is refused with a sentence, never a crash.
#include "tollgate/storage/openpgp/openpgp_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gpgv.h"
#include "run_command.h"
#include "temp_dir.h"
#include "tollgate/storage/openpgp/ensure_signing_key.h"

namespace tollgate::storage {
namespace {

namespace fs = std::filesystem;
using ::tollgate::testing::CommandResult;
using ::tollgate::testing::FindProgram;
using ::tollgate::testing::GoodSignature;
using ::tollgate::testing::Gpgv;
using ::tollgate::testing::RunCommand;

// The fingerprint GnuPG gave tests/testdata/openpgp/rsa_secret.asc.
constexpr std::string_view kRsaFingerprint = "B5A8AE55A711ACFA6DA416B855A55B2E728C07B3";
// What apt signs: the head of a Release file.
constexpr std::string_view kRelease =
    "Origin: tollgate\n"
    "Label: acme/agents\n"
    "Date: Sat, 05 Dec 2026 20:00:00 UTC\n"
    "SHA256:\n"
    " 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef 1234 Packages\n"
    "- a line that starts with a dash\n"
    "trailing spaces   \n";

std::string Fixture(std::string_view name) {
  std::ifstream in(fs::path(TOLLGATE_TESTDATA) / "openpgp" / name, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  if (content.str().empty()) ADD_FAILURE() << "missing test key " << name;
  return content.str();
}

void Write(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

SigningKeyMaterial NewKey() {
  absl::StatusOr<SigningKeyMaterial> key =
      GenerateSigningKey("tollgate acme/agents <noreply@tollgate.invalid>");
  if (!key.ok()) ADD_FAILURE() << key.status();
  return key.value_or(SigningKeyMaterial{});
}

bool IsUppercaseHexFingerprint(std::string_view text) {
  return text.size() == 40 && text.find_first_not_of("0123456789ABCDEF") == std::string_view::npos;
}

// A new key is an Ed25519 signing key without expiry, under the user id it was given.
TEST(OpenPgpKeyTest, GeneratedKeyIsEd25519WithoutExpiry) {
  const SigningKeyMaterial key = NewKey();
  ASSERT_TRUE(IsUppercaseHexFingerprint(key.fingerprint)) << key.fingerprint;
  testing::TempDir dir;
  Write(dir.path() / "key.asc", key.public_key);
  ::mkdir((dir.path() / "gnupg").c_str(), 0700);
  const CommandResult shown = RunCommand(
      FindProgram("gpg"), {"--homedir", (dir.path() / "gnupg").string(), "--batch", "--with-colons",
                           "--show-keys", (dir.path() / "key.asc").string()});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  // pub:validity:bits:algorithm(22 = EdDSA):keyid:created:expires(empty):…:usage
  std::istringstream lines(shown.out);
  std::string pub;
  std::getline(lines, pub);
  std::vector<std::string> fields;
  std::istringstream split(pub);
  for (std::string field; std::getline(split, field, ':');) fields.push_back(field);
  ASSERT_GE(fields.size(), 12u) << pub;
  EXPECT_EQ(fields[0], "pub");
  EXPECT_EQ(fields[3], "22") << pub;
  EXPECT_EQ(fields[6], "") << "expires: " << pub;
  EXPECT_NE(fields[11].find('s'), std::string::npos) << "usage: " << pub;
  EXPECT_NE(shown.out.find("fpr:::::::::" + key.fingerprint + ":"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("tollgate acme/agents <noreply@tollgate.invalid>"), std::string::npos)
      << shown.out;
}

// The public part is an armored public key and holds no secret; the secret part is armored.
TEST(OpenPgpKeyTest, PublicPartHoldsNoSecret) {
  const SigningKeyMaterial key = NewKey();
  EXPECT_TRUE(key.public_key.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
  EXPECT_EQ(key.public_key.find("PRIVATE"), std::string::npos);
  EXPECT_TRUE(key.secret_key.starts_with("-----BEGIN PGP PRIVATE KEY BLOCK-----"));
}

// Two keys made one after the other differ.
TEST(OpenPgpKeyTest, EveryGeneratedKeyIsNew) {
  EXPECT_NE(NewKey().fingerprint, NewKey().fingerprint);
}

// A clearsigned text (apt's InRelease) verifies with gpgv and keeps the text.
TEST(OpenPgpKeyTest, ClearSignedTextVerifiesWithGpgv) {
  const SigningKeyMaterial key = NewKey();
  absl::StatusOr<std::string> signed_text = ClearSign(key, kRelease);
  ASSERT_TRUE(signed_text.ok()) << signed_text.status();
  EXPECT_TRUE(signed_text->starts_with("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n"))
      << *signed_text;
  EXPECT_NE(signed_text->find("- - a line that starts with a dash\n"), std::string::npos);
  Gpgv gpgv(key.public_key);
  ASSERT_TRUE(gpgv.Ready());
  EXPECT_TRUE(GoodSignature(gpgv.VerifyClearsigned(*signed_text), key.fingerprint));
}

// A detached armored signature (apt's Release.gpg) verifies with gpgv.
TEST(OpenPgpKeyTest, DetachedSignatureVerifiesWithGpgv) {
  const SigningKeyMaterial key = NewKey();
  absl::StatusOr<std::string> signature = DetachSign(key, kRelease);
  ASSERT_TRUE(signature.ok()) << signature.status();
  EXPECT_TRUE(signature->starts_with("-----BEGIN PGP SIGNATURE-----")) << *signature;
  Gpgv gpgv(key.public_key);
  ASSERT_TRUE(gpgv.Ready());
  EXPECT_TRUE(GoodSignature(gpgv.VerifyDetached(*signature, kRelease), key.fingerprint));
}

// gpgv refuses a detached signature over changed data, so the passes above mean something.
TEST(OpenPgpKeyTest, ChangedDataFailsGpgv) {
  const SigningKeyMaterial key = NewKey();
  absl::StatusOr<std::string> signature = DetachSign(key, kRelease);
  ASSERT_TRUE(signature.ok()) << signature.status();
  Gpgv gpgv(key.public_key);
  ASSERT_TRUE(gpgv.Ready());
  std::string changed(kRelease);
  changed[0] = 'o';
  EXPECT_NE(gpgv.VerifyDetached(*signature, changed).exit_code, 0);
}

// A signature by another key does not verify against this key's keyring.
TEST(OpenPgpKeyTest, OtherKeysSignatureFailsGpgv) {
  const SigningKeyMaterial key = NewKey();
  absl::StatusOr<std::string> signed_text = ClearSign(NewKey(), kRelease);
  ASSERT_TRUE(signed_text.ok()) << signed_text.status();
  Gpgv gpgv(key.public_key);
  ASSERT_TRUE(gpgv.Ready());
  EXPECT_NE(gpgv.VerifyClearsigned(*signed_text).exit_code, 0);
}

// A key GnuPG made (RSA with an encryption subkey) imports with its fingerprint, and its
// signatures verify against the public key GnuPG exported.
TEST(OpenPgpKeyTest, GnupgKeyImportsAndSignsForGnupgsPublicKey) {
  absl::StatusOr<SigningKeyMaterial> key = ImportSigningKey(Fixture("rsa_secret.asc"));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->fingerprint, kRsaFingerprint);
  absl::StatusOr<std::string> signed_text = ClearSign(*key, kRelease);
  ASSERT_TRUE(signed_text.ok()) << signed_text.status();
  Gpgv gpgv(Fixture("rsa_public.asc"));
  ASSERT_TRUE(gpgv.Ready());
  EXPECT_TRUE(GoodSignature(gpgv.VerifyClearsigned(*signed_text), kRsaFingerprint));
}

// An imported key's stored parts import again to the same key, and its public part is
// what gpgv needs.
TEST(OpenPgpKeyTest, ImportedKeyRoundTrips) {
  absl::StatusOr<SigningKeyMaterial> key = ImportSigningKey(Fixture("rsa_secret.asc"));
  ASSERT_TRUE(key.ok()) << key.status();
  absl::StatusOr<SigningKeyMaterial> again = ImportSigningKey(key->secret_key);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->fingerprint, kRsaFingerprint);
  EXPECT_EQ(again->public_key, key->public_key);
  absl::StatusOr<std::string> signature = DetachSign(*again, kRelease);
  ASSERT_TRUE(signature.ok()) << signature.status();
  Gpgv gpgv(key->public_key);
  ASSERT_TRUE(gpgv.Ready());
  EXPECT_TRUE(GoodSignature(gpgv.VerifyDetached(*signature, kRelease), kRsaFingerprint));
}

// A generated key's secret part is a key ImportSigningKey accepts as the same key.
TEST(OpenPgpKeyTest, GeneratedKeyImports) {
  const SigningKeyMaterial key = NewKey();
  absl::StatusOr<SigningKeyMaterial> imported = ImportSigningKey(key.secret_key);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->fingerprint, key.fingerprint);
}

// A key whose primary is a stub (kept offline) and whose one signing subkey is present signs
// with the subkey; gpgv accepts it for the primary's fingerprint.
TEST(OpenPgpKeyTest, SigningSubkeyWithOfflinePrimarySigns) {
  absl::StatusOr<SigningKeyMaterial> key =
      ImportSigningKey(Fixture("signing_subkey_only_secret.asc"));
  ASSERT_TRUE(key.ok()) << key.status();
  absl::StatusOr<std::string> signed_text = ClearSign(*key, kRelease);
  ASSERT_TRUE(signed_text.ok()) << signed_text.status();
  Gpgv gpgv(key->public_key);
  ASSERT_TRUE(gpgv.Ready());
  EXPECT_TRUE(GoodSignature(gpgv.VerifyClearsigned(*signed_text), key->fingerprint));
}

// Signing from several threads at once works: every call has a context of its own.
TEST(OpenPgpKeyTest, ThreadsSignAtOnce) {
  const SigningKeyMaterial key = NewKey();
  constexpr int kThreads = 4;
  constexpr int kEach = 5;
  std::vector<std::string> last(kThreads);
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        absl::StatusOr<std::string> signature = DetachSign(key, kRelease);
        if (!signature.ok()) {
          ++failures[t];
          continue;
        }
        last[t] = *signature;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  Gpgv gpgv(key.public_key);
  ASSERT_TRUE(gpgv.Ready());
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], 0);
    EXPECT_TRUE(GoodSignature(gpgv.VerifyDetached(last[t], kRelease), key.fingerprint));
  }
}

// A key that cannot be read from the store is an internal error that names no key material.
TEST(OpenPgpKeyTest, DamagedStoredKeyIsInternal) {
  SigningKeyMaterial key = NewKey();
  const std::string secret = key.secret_key;
  key.secret_key.resize(key.secret_key.size() / 2);
  absl::StatusOr<std::string> signed_text = ClearSign(key, kRelease);
  ASSERT_EQ(signed_text.status().code(), absl::StatusCode::kInternal) << signed_text.status();
  EXPECT_EQ(signed_text.status().message().find("PRIVATE"), absl::string_view::npos);
  EXPECT_EQ(signed_text.status().message().find(secret.substr(40, 32)), absl::string_view::npos);
}

// An empty user id is refused.
TEST(OpenPgpKeyTest, EmptyUserIdIsRefused) {
  EXPECT_EQ(GenerateSigningKey("").status().code(), absl::StatusCode::kInvalidArgument);
}

// Repositories' keys carry the user id tollgate gives them.
TEST(OpenPgpKeyTest, UserIdNamesTheRepository) {
  EXPECT_EQ(SigningKeyUserId("acme", "agents"), "tollgate acme/agents <noreply@tollgate.invalid>");
}

// Refusing damaged keys puts none of their material on stderr (the process's log), where
// Debian's librnp writes its parser's diagnostics.
TEST(OpenPgpKeyTest, RefusalsShowNoKeyMaterialOnStderr) {
  const std::string secret = Fixture("rsa_secret.asc");
  ::testing::internal::CaptureStderr();
  EXPECT_FALSE(ImportSigningKey(secret.substr(0, 1500)).ok());
  EXPECT_FALSE(ImportSigningKey(Fixture("protected_secret.asc")).ok());
  std::string damaged = secret;
  damaged[200] = damaged[200] == 'A' ? 'B' : 'A';
  ImportSigningKey(damaged).IgnoreError();
  const std::string stderr_text = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(stderr_text.find("PRIVATE"), std::string::npos) << stderr_text;
  for (size_t at = 100; at + 16 < 1500; at += 100) {
    EXPECT_EQ(stderr_text.find(secret.substr(at, 16)), std::string::npos) << stderr_text;
  }
}

struct Refusal {
  std::string name;
  std::function<std::string()> upload;
  std::string says;  // a part of the error's message
};

void PrintTo(const Refusal& refusal, std::ostream* out) { *out << refusal.name; }

class RefusedKeyTest : public ::testing::TestWithParam<Refusal> {};

// Each upload is refused with InvalidArgument saying why, and the message quotes nothing of it.
TEST_P(RefusedKeyTest, IsInvalidArgumentSayingWhy) {
  const std::string upload = GetParam().upload();
  absl::StatusOr<SigningKeyMaterial> key = ImportSigningKey(upload);
  ASSERT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument) << key.status();
  const std::string message(key.status().message());
  EXPECT_NE(message.find(GetParam().says), std::string::npos) << message;
  EXPECT_EQ(message.find("BEGIN"), std::string::npos) << message;
  EXPECT_LT(message.size(), 200u) << message;
}

std::string ArmoredGarbage() {
  return "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
         "-----END PGP PRIVATE KEY BLOCK-----\n";
}

std::string BinaryGarbage() {
  std::string bytes;
  for (int i = 0; i < 4096; ++i) bytes.push_back(static_cast<char>((i * 131 + 7) % 256));
  return bytes;
}

// A valid key followed by padding past the size bound.
std::string Oversized() {
  return Fixture("rsa_secret.asc") + std::string(kMaxImportedKeySize, '\n');
}

INSTANTIATE_TEST_SUITE_P(
    OpenPgpKeyTest, RefusedKeyTest,
    ::testing::Values(
        Refusal{"Empty", [] { return std::string(); }, "is empty"},
        Refusal{"Oversized", Oversized, "larger than 64 KiB"},
        Refusal{"Text", [] { return std::string("not a key at all"); }, "not an OpenPGP key"},
        Refusal{"ArmoredGarbage", ArmoredGarbage, "not an OpenPGP key"},
        Refusal{"BinaryGarbage", BinaryGarbage, "not an OpenPGP key"},
        Refusal{"Truncated", [] { return Fixture("rsa_secret.asc").substr(0, 1500); },
                "not an OpenPGP key"},
        Refusal{"PublicKey", [] { return Fixture("rsa_public.asc"); }, "holds no secret key"},
        Refusal{"Passphrase", [] { return Fixture("protected_secret.asc"); }, "passphrase"},
        Refusal{"TwoSigningKeys", [] { return Fixture("two_signers_secret.asc"); },
                "2 secret keys that can sign"},
        Refusal{"TwoPrimaryKeys", [] { return Fixture("two_keys_secret.asc"); }, "2 primary keys"},
        Refusal{"Expired", [] { return Fixture("expired_secret.asc"); }, "expired"},
        Refusal{"Revoked", [] { return Fixture("revoked_secret.asc"); }, "revoked"}),
    [](const ::testing::TestParamInfo<Refusal>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace tollgate::storage
