// Incremental SHA-256 (OpenSSL EVP) for upload verification and package listings.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace tollgate::gateway::admin {

class Sha256 {
 public:
  Sha256();  // aborts if OpenSSL cannot allocate a digest context
  void Update(std::string_view bytes);
  // Lowercase hex digest; the object must not be updated afterwards.
  std::string HexDigest();

 private:
  struct Free {
    void operator()(EVP_MD_CTX* context) const;
  };
  std::unique_ptr<EVP_MD_CTX, Free> context_;
};

// The hex SHA-256 of the whole open file `fd` from offset 0. Internal on a read error.
absl::StatusOr<std::string> Sha256OfFile(int fd);

}  // namespace tollgate::gateway::admin
