// SHA-256 and HMAC-SHA256 through OpenSSL: one-shot and incremental digests, the digest of a
// file (upload verification, package listings, API key hashes, request signing).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace tollgate::storage {

// An incremental digest for bodies that arrive in chunks. SHA-1 only where a client format
// demands it (npm's shasum), never for anything tollgate itself trusts.
class MessageDigest {
 public:
  enum class Algorithm { kSha1, kSha256, kSha512 };
  explicit MessageDigest(Algorithm algorithm);  // aborts if OpenSSL cannot allocate
  void Update(std::string_view bytes);
  // Lowercase hex digest; the object must not be updated afterwards.
  std::string HexDigest();

 private:
  struct Free {
    void operator()(EVP_MD_CTX* context) const;
  };
  std::unique_ptr<EVP_MD_CTX, Free> context_;
};

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
