// SHA-256 and HMAC-SHA256 through OpenSSL.
#include "tollgate/storage/sha256.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "absl/strings/escaping.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {

namespace {

const EVP_MD* DigestOf(MessageDigest::Algorithm algorithm) {
  switch (algorithm) {
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

std::string Sha256Hex(std::string_view bytes) {
  Sha256 sha;
  sha.Update(bytes);
  return sha.HexDigest();
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::string mac(EVP_MAX_MD_SIZE, '\0');
  unsigned int mac_length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           reinterpret_cast<unsigned char*>(mac.data()), &mac_length) == nullptr) {
    std::abort();  // out of memory inside OpenSSL: nothing sensible can follow
  }
  mac.resize(mac_length);
  return mac;
}

absl::StatusOr<std::string> Sha256OfFile(int fd) {
  Sha256 sha;
  std::array<char, 64 * 1024> buffer;
  off_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buffer.data(), buffer.size(), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::InternalError(Concat("read failed: ", std::strerror(errno)));
    if (n == 0) break;
    sha.Update(std::string_view(buffer.data(), static_cast<size_t>(n)));
    offset += n;
  }
  return sha.HexDigest();
}

}  // namespace tollgate::storage
