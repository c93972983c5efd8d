// Tests of the SHA-256 and HMAC-SHA256 helpers against published test vectors.
#include "tollgate/storage/sha256.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "absl/strings/escaping.h"
#include "temp_dir.h"

namespace tollgate::storage {
namespace {

constexpr char kAbcDigest[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

// The digest of no bytes is FIPS 180-2's empty-message SHA-256.
TEST(Sha256HexTest, EmptyInput) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// The digest of "abc" is FIPS 180-2's test vector.
TEST(Sha256HexTest, MatchesFipsVector) { EXPECT_EQ(Sha256Hex("abc"), kAbcDigest); }

// Feeding the bytes in pieces gives the same digest as feeding them at once.
TEST(Sha256Test, IncrementalEqualsOneShot) {
  Sha256 sha;
  sha.Update("a");
  sha.Update("");
  sha.Update("bc");
  EXPECT_EQ(sha.HexDigest(), kAbcDigest);
}

// HmacSha256 returns the raw 32 bytes of RFC 4231 test case 2.
TEST(HmacSha256Test, MatchesRfc4231Vector) {
  const std::string mac = HmacSha256("Jefe", "what do ya want for nothing?");
  ASSERT_EQ(mac.size(), 32u);
  EXPECT_EQ(absl::BytesToHexString(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// The digest of a file is the digest of its bytes.
TEST(Sha256OfFileTest, HashesTheWholeFile) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "abc").string();
  std::ofstream(path) << "abc";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  absl::StatusOr<std::string> digest = Sha256OfFile(fd);
  ::close(fd);
  ASSERT_TRUE(digest.ok()) << digest.status();
  EXPECT_EQ(*digest, kAbcDigest);
}

}  // namespace
}  // namespace tollgate::storage
