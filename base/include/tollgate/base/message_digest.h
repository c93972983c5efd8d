// Message digests through OpenSSL: incremental ones for bodies that arrive in chunks, and the
// digest of bytes already in memory (checksums of package files and generated views, hashes of
// secrets).
#pragma once

#include <memory>
#include <string>
#include <string_view>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace tollgate {

class MessageDigest {
 public:
  // MD5 and SHA-1 exist only because clients demand them (Maven's .md5 and .sha1 checksum
  // files, npm's shasum); nothing tollgate itself trusts is ever checked with either.
  enum class Algorithm { kMd5, kSha1, kSha256, kSha512 };

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

// Lowercase hex digest of `bytes` under `algorithm`. Aborts only if OpenSSL cannot allocate.
std::string HexDigestOf(MessageDigest::Algorithm algorithm, std::string_view bytes);

}  // namespace tollgate
