// SHA-256 and HMAC-SHA256 through OpenSSL; the digests themselves are base's MessageDigest.
#include "tollgate/storage/sha256.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "tollgate/base/concat.h"

namespace tollgate::storage {

std::string Sha256Hex(std::string_view bytes) {
  return HexDigestOf(MessageDigest::Algorithm::kSha256, bytes);
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
