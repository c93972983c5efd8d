// Tests of MessageDigest against the published "abc" vectors of each algorithm (RFC 1321,
// FIPS 180-2).
#include "tollgate/base/message_digest.h"

#include "gtest/gtest.h"

namespace tollgate {
namespace {

using Algorithm = MessageDigest::Algorithm;

// Each algorithm gives its published digest of "abc".
TEST(MessageDigestTest, MatchesPublishedVectors) {
  EXPECT_EQ(HexDigestOf(Algorithm::kMd5, "abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(HexDigestOf(Algorithm::kSha1, "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(HexDigestOf(Algorithm::kSha256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexDigestOf(Algorithm::kSha512, "abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

// The digest of no bytes is MD5's empty-message vector.
TEST(MessageDigestTest, EmptyInput) {
  EXPECT_EQ(HexDigestOf(Algorithm::kMd5, ""), "d41d8cd98f00b204e9800998ecf8427e");
}

// Feeding the bytes in pieces gives the same digest as feeding them at once.
TEST(MessageDigestTest, IncrementalEqualsOneShot) {
  MessageDigest digest(Algorithm::kSha1);
  digest.Update("a");
  digest.Update("");
  digest.Update("bc");
  EXPECT_EQ(digest.HexDigest(), HexDigestOf(Algorithm::kSha1, "abc"));
}

}  // namespace
}  // namespace tollgate
