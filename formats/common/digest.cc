#include "common/digest.h"

#include <openssl/evp.h>

#include <array>
#include <cstdlib>

namespace tollgate::formats {

std::string HexDigest(DigestAlgorithm algorithm, std::string_view bytes) {
  const EVP_MD* md = algorithm == DigestAlgorithm::kSha256 ? EVP_sha256() : EVP_sha512();
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest;
  unsigned int length = 0;
  // EVP_Digest fails only when OpenSSL cannot allocate its context.
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, md, nullptr) != 1) {
    std::abort();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

}  // namespace tollgate::formats
