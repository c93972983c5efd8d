// SHA-256 and HMAC-SHA256 through OpenSSL, on base's MessageDigest: one-shot and incremental
// digests, the digest of a file (upload verification, package listings, API key hashes, request
// signing).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tollgate/base/message_digest.h"

namespace tollgate::storage {

class Sha256 : public MessageDigest {
 public:
  Sha256() : MessageDigest(Algorithm::kSha256) {}
};

// Lowercase hex SHA-256 of `bytes`. Aborts only if OpenSSL cannot allocate.
std::string Sha256Hex(std::string_view bytes);

// The raw 32-byte HMAC-SHA256 of `data` under `key`. Aborts only if OpenSSL cannot allocate.
std::string HmacSha256(std::string_view key, std::string_view data);

// The hex SHA-256 of the whole open file `fd` from offset 0. Internal on a read error.
absl::StatusOr<std::string> Sha256OfFile(int fd);

}  // namespace tollgate::storage
