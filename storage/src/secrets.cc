// Secrets from OpenSSL: random API keys and tokens, their hashes, constant-time comparison.
#include "tollgate/storage/secrets.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <cstdlib>

#include "tollgate/storage/sha256.h"

namespace tollgate::storage {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// The largest multiple of 62 that fits in a byte: bytes at or above it are redrawn, so every
// character is equally likely (a plain `% 62` would favour the first 8 characters).
constexpr unsigned kAcceptBelow = 256 - 256 % kAlphabet.size();

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
  TokenDigest mac;
  unsigned int mac_length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(token.data()), token.size(), mac.data(),
           &mac_length) == nullptr ||
      mac_length != mac.size()) {
    std::abort();  // out of memory inside OpenSSL: nothing sensible can follow
  }
  return mac;
}

std::string KeyedTokenHash(std::string_view key, std::string_view token) {
  const TokenDigest mac = KeyedTokenDigest(key, token);
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * mac.size());
  for (unsigned char byte : mac) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xf];
  }
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // The length is not secret (tokens are at most 128 characters); the content is.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tollgate::storage
