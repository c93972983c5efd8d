// Secrets from OpenSSL: random API keys and tokens, their hashes, constant-time comparison.
//
// The keyed token digest runs on every download. OpenSSL 3's HMAC fetches the algorithm and
// allocates its contexts on every call (a dozen allocations); the low-level SHA-256 interface,
// deprecated in favour of EVP but kept, has a plain struct for a state, so the key's two
// padded blocks are hashed once and each digest starts from copies of those states.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "tollgate/storage/secrets.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "tollgate/base/hex.h"
#include "tollgate/storage/sha256.h"

namespace tollgate::storage {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// The largest multiple of 62 that fits in a byte: bytes at or above it are redrawn, so every
// character is equally likely (a plain `% 62` would favour the first 8 characters).
constexpr unsigned kAcceptBelow = 256 - 256 % kAlphabet.size();

// HMAC-SHA256 (RFC 2104) under one key, with the key's padded blocks already hashed.
class KeyedSha256 {
 public:
  explicit KeyedSha256(std::string_view key) : key_(key) {
    std::array<unsigned char, SHA256_CBLOCK> block{};
    if (key.size() > block.size()) {
      SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), block.data());
    } else {
      std::memcpy(block.data(), key.data(), key.size());
    }
    std::array<unsigned char, SHA256_CBLOCK> pad;
    for (size_t i = 0; i < block.size(); ++i) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&inner_);
    SHA256_Update(&inner_, pad.data(), pad.size());
    for (size_t i = 0; i < block.size(); ++i) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&outer_);
    SHA256_Update(&outer_, pad.data(), pad.size());
    OPENSSL_cleanse(block.data(), block.size());
    OPENSSL_cleanse(pad.data(), pad.size());
  }
  KeyedSha256(const KeyedSha256&) = delete;
  KeyedSha256& operator=(const KeyedSha256&) = delete;
  ~KeyedSha256() {
    OPENSSL_cleanse(&inner_, sizeof inner_);
    OPENSSL_cleanse(&outer_, sizeof outer_);
    OPENSSL_cleanse(key_.data(), key_.size());
  }

  // The key is the store's, never a client's, so comparing it need not be constant-time.
  bool HasKey(std::string_view key) const { return key_ == key; }

  TokenDigest Digest(std::string_view message) const {
    SHA256_CTX state = inner_;
    SHA256_Update(&state, message.data(), message.size());
    std::array<unsigned char, SHA256_DIGEST_LENGTH> inner_digest;
    SHA256_Final(inner_digest.data(), &state);
    state = outer_;
    SHA256_Update(&state, inner_digest.data(), inner_digest.size());
    TokenDigest mac;
    SHA256_Final(mac.data(), &state);
    OPENSSL_cleanse(&state, sizeof state);
    return mac;
  }

 private:
  std::string key_;
  SHA256_CTX inner_;
  SHA256_CTX outer_;
};

}  // namespace

std::string RandomSecret(size_t length) {
  std::string secret;
  secret.reserve(length);
  std::array<unsigned char, 64> batch;
  while (secret.size() < length) {
    if (RAND_bytes(batch.data(), static_cast<int>(batch.size())) != 1) std::abort();
    for (unsigned char byte : batch) {
      if (byte >= kAcceptBelow) continue;
      secret.push_back(kAlphabet[byte % kAlphabet.size()]);
      if (secret.size() == length) break;
    }
  }
  return secret;
}

NewApiKey GenerateApiKey() {
  // 40 base62 characters: about 238 bits, well beyond the 160 SPEC asks for.
  constexpr size_t kApiKeyLength = 40;
  NewApiKey generated;
  generated.key = RandomSecret(kApiKeyLength);
  generated.hash = HashApiKey(generated.key);
  return generated;
}

std::string HashApiKey(std::string_view secret) { return Sha256Hex(secret); }

TokenDigest KeyedTokenDigest(std::string_view key, std::string_view token) {
  // One store key serves a thread's downloads, so its states are kept per thread.
  thread_local std::unique_ptr<KeyedSha256> keyed;
  if (keyed == nullptr || !keyed->HasKey(key)) keyed = std::make_unique<KeyedSha256>(key);
  return keyed->Digest(token);
}

std::string KeyedTokenHash(std::string_view key, std::string_view token) {
  const TokenDigest mac = KeyedTokenDigest(key, token);
  std::string hex(2 * mac.size(), '\0');
  WriteHex(mac.data(), mac.size(), hex.data());
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // The length is not secret (tokens are at most 128 characters); the content is.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tollgate::storage
