// Message digests through OpenSSL's EVP interface.
#include "tollgate/base/message_digest.h"

#include <openssl/evp.h>

#include <array>
#include <cstdlib>

#include "absl/strings/escaping.h"

namespace tollgate {
namespace {

const EVP_MD* DigestOf(MessageDigest::Algorithm algorithm) {
  switch (algorithm) {
    case MessageDigest::Algorithm::kMd5:
      return EVP_md5();
    case MessageDigest::Algorithm::kSha1:
      return EVP_sha1();
    case MessageDigest::Algorithm::kSha512:
      return EVP_sha512();
    case MessageDigest::Algorithm::kSha256:
      break;
  }
  return EVP_sha256();
}

}  // namespace

void MessageDigest::Free::operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }

MessageDigest::MessageDigest(Algorithm algorithm) : context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr || EVP_DigestInit_ex(context_.get(), DigestOf(algorithm), nullptr) != 1) {
    std::abort();  // out of memory inside OpenSSL: nothing sensible can follow
  }
}

void MessageDigest::Update(std::string_view bytes) {
  EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size());
}

std::string MessageDigest::HexDigest() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(context_.get(), digest.data(), &length);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

std::string HexDigestOf(MessageDigest::Algorithm algorithm, std::string_view bytes) {
  MessageDigest digest(algorithm);
  digest.Update(bytes);
  return digest.HexDigest();
}

}  // namespace tollgate
