// Tests of secret generation, hashing and comparison.
#include "tollgate/storage/secrets.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"

namespace tollgate::storage {
namespace {

bool IsBase62(const std::string& s) {
  for (char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) return false;
  }
  return true;
}

// RandomSecret returns exactly the requested number of base62 characters.
TEST(RandomSecretTest, HasRequestedLengthAndAlphabet) {
  for (size_t length : {0u, 1u, 32u, 200u}) {
    const std::string secret = RandomSecret(length);
    EXPECT_EQ(secret.size(), length);
    EXPECT_TRUE(IsBase62(secret)) << secret;
  }
}

// Two secrets drawn in a row differ.
TEST(RandomSecretTest, SuccessiveSecretsDiffer) { EXPECT_NE(RandomSecret(32), RandomSecret(32)); }

// Over many draws every one of the 62 characters appears (no part of the alphabet is lost).
TEST(RandomSecretTest, UsesTheWholeAlphabet) {
  const std::string sample = RandomSecret(62 * 200);
  const absl::flat_hash_set<char> seen(sample.begin(), sample.end());
  EXPECT_EQ(seen.size(), 62u);
}

// HashApiKey is SHA-256 in lowercase hex (FIPS 180-2 test vector "abc").
TEST(HashApiKeyTest, MatchesSha256TestVector) {
  EXPECT_EQ(HashApiKey("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// A generated API key has at least 160 bits and comes with its own stored hash.
TEST(GenerateApiKeyTest, StrongKeyWithMatchingHash) {
  const NewApiKey generated = GenerateApiKey();
  EXPECT_GE(generated.key.size() * 5.95, 160);
  EXPECT_EQ(generated.hash, HashApiKey(generated.key));
  EXPECT_NE(GenerateApiKey().key, generated.key);
}

// KeyedTokenHash is HMAC-SHA256 in lowercase hex (RFC 4231 test case 2).
TEST(KeyedTokenHashTest, MatchesHmacSha256TestVector) {
  EXPECT_EQ(KeyedTokenHash("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// KeyedTokenDigest is the HMAC that KeyedTokenHash spells in hex.
TEST(KeyedTokenHashTest, DigestIsTheSpelledHash) {
  const TokenDigest digest = KeyedTokenDigest("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(absl::BytesToHexString(
                absl::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())),
            KeyedTokenHash("Jefe", "what do ya want for nothing?"));
}

// The same token under two keys hashes differently.
TEST(KeyedTokenHashTest, DependsOnTheKey) {
  EXPECT_NE(KeyedTokenHash("key-one", "token"), KeyedTokenHash("key-two", "token"));
}

// RFC 4231 test cases 1 (a 20-byte key) and 6 (a 131-byte key, longer than a block, which is
// hashed first), alternating on one thread, which keeps the last key's states.
TEST(KeyedTokenHashTest, MatchesTheRfc4231VectorsWhateverTheKeyBefore) {
  const std::string key1(20, '\x0b');
  const std::string key6(131, '\xaa');
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(KeyedTokenHash(key1, "Hi There"),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(KeyedTokenHash(key6, "Test Using Larger Than Block-Size Key - Hash Key First"),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  }
  // A key that is a prefix of the previous one is another key.
  EXPECT_NE(KeyedTokenHash(key1.substr(0, 19), "Hi There"), KeyedTokenHash(key1, "Hi There"));
}

// Equal strings compare equal.
TEST(ConstantTimeEqualsTest, EqualStrings) {
  EXPECT_TRUE(ConstantTimeEquals("s3cret-token", "s3cret-token"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

// Strings of equal length that differ in one character compare unequal.
TEST(ConstantTimeEqualsTest, SameLengthDifferentContent) {
  EXPECT_FALSE(ConstantTimeEquals("s3cret-token", "s3cret-tokem"));
}

// A prefix of a string is not equal to it.
TEST(ConstantTimeEqualsTest, DifferentLengths) {
  EXPECT_FALSE(ConstantTimeEquals("s3cret", "s3cret-token"));
  EXPECT_FALSE(ConstantTimeEquals("s3cret-token", ""));
}

}  // namespace
}  // namespace tollgate::storage
