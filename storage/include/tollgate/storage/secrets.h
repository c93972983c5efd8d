// Generating, hashing and comparing secrets (API keys, entitlement tokens).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace tollgate::storage {

// `length` characters of [A-Za-z0-9] from OpenSSL's CSPRNG (5.95 bits each).
// Aborts the process if the CSPRNG fails, since nothing safe can follow.
std::string RandomSecret(size_t length);

// Lowercase hex SHA-256 of `secret`: how API keys are stored.
std::string HashApiKey(std::string_view secret);

// A new API key for a user or service and the hash it is stored as. The key is shown once
// to its owner and then forgotten.
struct NewApiKey {
  std::string key;
  std::string hash;
};
NewApiKey GenerateApiKey();

// HMAC-SHA256 of `token` under `key`, the raw bytes: what the forms below spell in hex.
using TokenDigest = std::array<unsigned char, 32>;
TokenDigest KeyedTokenDigest(std::string_view key, std::string_view token);

// Lowercase hex HMAC-SHA256 of `token` under `key`: how entitlement tokens are stored.
std::string KeyedTokenHash(std::string_view key, std::string_view token);

// Equality that takes the same time for every pair of equal-length inputs.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tollgate::storage
